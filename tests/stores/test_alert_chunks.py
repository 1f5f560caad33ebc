"""A restock that many customers wait for tells them a chunk at a time: the queries of a
chunk do not grow with the customers in it, and every alert is closed with its message."""

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.test.factories import create_product

from omni_plugin.stores.alerts import dispatch
from omni_plugin.stores.models import StockAlert
from tests.messaging.factories import make_customer
from tests.stores.factories import MONDAY_NOON

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(MONDAY_NOON, tick=False):
        yield


def waiting_for(product, customers):
    return StockAlert.objects.bulk_create(
        StockAlert(
            profile=customer,
            origin_profile=customer,
            product=product,
            channel=StockAlert.Channel.EMAIL,
            status=StockAlert.Status.ACTIVE,
        )
        for customer in customers
    )


def queries_to_restock(product, django_capture_on_commit_callbacks):
    record = product.stockrecords.get()
    record.num_in_stock = 100
    with CaptureQueriesContext(connection) as queries:
        with django_capture_on_commit_callbacks(execute=True):
            record.save()
    return len(queries)


def test_telling_thirty_customers_takes_the_queries_of_telling_five(
    django_capture_on_commit_callbacks,
):
    everyone = [make_customer(f"customer{n}@example.com") for n in range(36)]
    first, few, many = (create_product(price="9.00", num_in_stock=0) for _ in range(3))
    waiting_for(first, everyone[:1])
    waiting_for(few, everyone[1:6])
    waiting_for(many, everyone[6:])
    queries_to_restock(first, django_capture_on_commit_callbacks)  # the site, read once

    assert queries_to_restock(many, django_capture_on_commit_callbacks) == queries_to_restock(
        few, django_capture_on_commit_callbacks
    )
    assert len([email for email in mail.outbox if "Back in stock" in email.subject]) == 36
    alerts = StockAlert.objects.all()
    assert {alert.status for alert in alerts} == {"sent"}
    assert all(alert.message.profile_id == alert.profile_id for alert in alerts)


def test_an_alert_another_worker_closed_meanwhile_is_left_as_that_worker_left_it(
    django_capture_on_commit_callbacks, monkeypatch
):
    ann, bob = make_customer("ann@example.com"), make_customer("bob@example.com")
    product = create_product(price="9.00", num_in_stock=0)
    cancelled, waiting = waiting_for(product, [ann, bob])
    send_messages = dispatch.send_messages

    def while_another_worker_cancels(*args, **kwargs):
        StockAlert.objects.filter(pk=cancelled.pk).update(status=StockAlert.Status.CANCELLED)
        return send_messages(*args, **kwargs)

    monkeypatch.setattr(dispatch, "send_messages", while_another_worker_cancels)
    queries_to_restock(product, django_capture_on_commit_callbacks)

    cancelled.refresh_from_db()
    waiting.refresh_from_db()
    assert (cancelled.status, cancelled.message) == ("cancelled", None)
    assert waiting.status == "sent" and waiting.message.status == "sent"
