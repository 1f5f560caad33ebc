"""Oscar's own stock alerts and stock writers, with the plugin installed: no alert is closed
untold, Oscar's importer and saves of other fields work, and OMNI_ENABLED False gives Oscar
its own behaviour back."""

import logging

import pytest
import time_machine
from conftest import make_customer as make_user
from django.core import mail
from django.db import transaction
from oscar.apps.partner.importers import CatalogueImporter
from oscar.core.loading import get_model

from omni_plugin.core.models import Identifier, Profile
from omni_plugin.messaging.models import Message
from tests.stores.factories import MONDAY_NOON

ProductAlert = get_model("customer", "ProductAlert")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    """Monday noon in London: no quiet hours."""
    with time_machine.travel(MONDAY_NOON, tick=False):
        yield


@pytest.fixture
def restock(django_capture_on_commit_callbacks):
    """Set the web shop's stock of a product as a stock clerk does, and commit."""

    def restock(product, num_in_stock=5):
        with django_capture_on_commit_callbacks(execute=True):
            record = product.stockrecords.get()
            record.num_in_stock = num_in_stock
            record.save()

    return restock


def emails_to(address):
    return [email for email in mail.outbox if email.to == [address]]


def test_an_accounts_alert_from_before_the_plugin_knew_it_reaches_its_owner(sold_out, restock):
    user = make_user("hal@example.com")
    assert not Identifier.objects.filter(kind="user", value=str(user.pk)).exists()
    alert = ProductAlert.objects.create(product=sold_out, user=user, status=ProductAlert.ACTIVE)

    restock(sold_out)

    (email,) = emails_to("hal@example.com")
    assert "Enamel Camping Mug" in email.subject
    assert Message.objects.get().status == Message.Status.SENT
    alert.refresh_from_db()
    assert alert.status == ProductAlert.CLOSED


def test_an_alert_no_channel_of_the_plugin_reaches_is_told_by_oscar(sold_out, restock):
    user = make_user("hal@example.com")
    # A profile that knows the account but not its address, as older versions made them.
    profile = Profile.objects.create()
    Identifier.objects.create(profile=profile, kind="user", value=str(user.pk))
    alert = ProductAlert.objects.create(product=sold_out, user=user, status=ProductAlert.ACTIVE)

    restock(sold_out)

    (email,) = emails_to("hal@example.com")
    assert email.subject == "Enamel Camping Mug is back in stock"  # Oscar's own email
    assert Message.objects.get().status == Message.Status.SKIPPED
    alert.refresh_from_db()
    assert alert.status == ProductAlert.CLOSED


def test_an_alert_stays_open_while_the_product_cannot_be_bought(sold_out, restock):
    ProductAlert.objects.create(product=sold_out, email="ivy@example.com").confirm()

    restock(sold_out, num_in_stock=0)

    assert emails_to("ivy@example.com") == []
    assert ProductAlert.objects.get().status == ProductAlert.ACTIVE


def test_with_the_plugin_switched_off_oscar_sends_its_own_alert(settings, sold_out, restock):
    settings.OMNI_ENABLED = False
    ProductAlert.objects.create(product=sold_out, email="ivy@example.com").confirm()

    restock(sold_out)

    (email,) = emails_to("ivy@example.com")
    assert email.subject == "Enamel Camping Mug is back in stock"
    assert Message.objects.count() == 0
    assert ProductAlert.objects.get().status == ProductAlert.CLOSED


def test_oscars_importer_loads_a_catalogue_and_its_restock_wakes_the_alerts(
    tmp_path, sold_out, django_capture_on_commit_callbacks
):
    ProductAlert.objects.create(product=sold_out, email="ivy@example.com").confirm()
    sold_out.upc = "MUG-UPC"
    sold_out.save()
    sku = sold_out.stockrecords.get().partner_sku
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_text(
        "Mugs,Kitchen > Mugs,9780000000001,Tin Mug,A mug,Warehouse,TIN-1,4.50,12\n"
        f"Mugs,Kitchen > Mugs,MUG-UPC,Enamel Camping Mug,NULL,Warehouse,{sku},12.50,7\n"
    )

    with django_capture_on_commit_callbacks(execute=True):
        CatalogueImporter(logging.getLogger("importer")).handle(str(catalogue))

    assert StockRecord.objects.get(partner_sku="TIN-1").num_in_stock == 12
    assert sold_out.stockrecords.get().num_in_stock == 7
    assert len(emails_to("ivy@example.com")) == 1


def test_a_save_of_other_fields_wakes_no_alert(
    sold_out, restock, django_capture_on_commit_callbacks
):
    ProductAlert.objects.create(product=sold_out, email="ivy@example.com").confirm()
    record = sold_out.stockrecords.get()
    StockRecord.objects.filter(pk=record.pk).update(num_in_stock=5)
    record.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        record.partner_sku = "MUG-2"
        record.save(update_fields=["partner_sku"])

    assert emails_to("ivy@example.com") == []
    restock(sold_out, num_in_stock=6)
    assert len(emails_to("ivy@example.com")) == 1


def test_a_failure_in_the_plugin_never_fails_the_shops_save(
    monkeypatch, caplog, sold_out, django_capture_on_commit_callbacks
):
    ProductAlert.objects.create(product=sold_out, email="ivy@example.com").confirm()

    def broken(partner_id):
        raise RuntimeError("the stores' table is gone")

    monkeypatch.setattr("omni_plugin.stores.alerts.receivers.is_store_partner", broken)
    record = sold_out.stockrecords.get()

    with transaction.atomic():
        record.num_in_stock = 5
        record.save()
        assert StockRecord.objects.get(pk=record.pk).num_in_stock == 5  # still usable

    assert StockRecord.objects.get(pk=record.pk).num_in_stock == 5
    assert "stock_saved failed" in caplog.text
