"""A page's browsing events commit without waiting for the disk, on PostgreSQL only in a
transaction of their own: the shop's transactions keep their durability."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from oscar.test.factories import create_product

from omni_plugin.core.events import new_event, write_events
from omni_plugin.core.models import Event, Profile

RELAX = "SET LOCAL synchronous_commit TO OFF"

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="synchronous_commit is PostgreSQL's"
)


def synchronous_commit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_product_view_is_written_in_a_transaction_that_does_not_wait_for_the_disk(client):
    product = create_product(title="Enamel Mug", num_in_stock=5)
    client.get(product.get_absolute_url())  # the visitor's profile starts here

    with CaptureQueriesContext(connection) as captured:
        client.get(product.get_absolute_url())

    statements = [query["sql"] for query in captured.captured_queries]
    assert RELAX in statements
    assert Event.objects.filter(kind="product_viewed").count() == 2
    assert synchronous_commit() == "on"  # for that transaction only


@on_postgresql
@pytest.mark.django_db
def test_an_event_written_in_the_shops_transaction_leaves_its_durability_alone():
    profile = Profile.objects.create()

    with transaction.atomic():
        write_events(profile.pk, [new_event("page_viewed")])
        assert synchronous_commit() == "on"

    assert Event.objects.filter(profile=profile).count() == 1
