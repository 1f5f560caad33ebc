"""``manage.py omni_demo`` fills the demo shop, prints the admin's credentials and is idempotent."""

import os
from datetime import datetime, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Max
from django.utils import timezone
from oscar.core.loading import get_model
from wagtail.models import Page, Site

from omni_plugin.personalization.compiled import compile_segment
from omni_plugin.personalization.memberships import count_matching
from omni_plugin.personalization.models import Segment
from omni_plugin.push.models import Campaign
from omni_plugin.stores.models import Store
from sandbox.cms.models import ContentPage, HomePage
from sandbox.demo.customers import DEMO_CUSTOMERS
from sandbox.demo.product_images import product_image_png
from sandbox.demo.steps import DEMO_STEPS

Category = get_model("catalogue", "Category")
Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")
User = get_user_model()

pytestmark = pytest.mark.django_db


def run_demo():
    output = StringIO()
    call_command("omni_demo", stdout=output)
    return output.getvalue()


def media_files():
    return {
        os.path.relpath(os.path.join(folder, name), settings.MEDIA_ROOT)
        for folder, _, names in os.walk(settings.MEDIA_ROOT)
        for name in names
    }


def fingerprint():
    """Every table's row count and highest key, and the values a re-run could have modified."""
    tables = {
        model._meta.label: (model.objects.count(), model.objects.aggregate(Max("pk"))["pk__max"])
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }
    return {
        "tables": tables,
        "products": list(
            Product.objects.order_by("pk").values_list("upc", "title", "slug", "date_updated")
        ),
        "stock": list(
            StockRecord.objects.order_by("pk").values_list(
                "price", "num_in_stock", "num_allocated", "date_updated"
            )
        ),
        "categories": list(
            Category.objects.order_by("pk").values_list("path", "name", "slug", "description")
        ),
        "images": list(ProductImage.objects.order_by("pk").values_list("original", flat=True)),
        "orders": list(
            Order.objects.order_by("pk").values_list(
                "number", "status", "date_placed", "total_incl_tax"
            )
        ),
        "sites": list(Site.objects.values_list("pk", "root_page_id", "is_default_site")),
        "users": list(
            User.objects.order_by("pk").values_list("username", "password", "last_login")
        ),
        "media": media_files(),
        "segments": list(Segment.objects.order_by("pk").values_list("name", "match", "rules")),
        "campaigns": list(Campaign.objects.order_by("pk").values_list("name", "url")),
        "stores": list(Store.objects.order_by("pk").values_list("code", "partner_id")),
    }


def test_fills_the_shop(client):
    run_demo()

    products = Product.objects.all()
    assert products.count() == 300
    assert Category.objects.filter(depth=1).count() == 5
    assert all(product.categories.exists() for product in products.prefetch_related("categories"))

    stock_records = StockRecord.objects.select_related("partner").filter(partner__store=None)
    assert stock_records.count() == 300
    assert {record.partner.name for record in stock_records} == {"Online warehouse"}
    assert {record.price_currency for record in stock_records} == {"GBP"}
    assert all(isinstance(record.price, Decimal) and record.price > 0 for record in stock_records)
    assert 5 <= stock_records.filter(num_in_stock=0).count() <= 60

    images = ProductImage.objects.select_related("product")
    assert images.count() == 300
    assert all(image.original.storage.exists(image.original.name) for image in images)
    mug_image = images.filter(product__categories__name="Mugs").first()
    with mug_image.original.open() as stored:
        assert stored.read() == product_image_png(mug_image.product.title, "Home & Kitchen > Mugs")

    orders = Order.objects.order_by("number")
    assert [order.number for order in orders] == [f"DEMO-{number:05d}" for number in range(1, 21)]
    assert {order.user.email for order in orders} <= {customer.email for customer in DEMO_CUSTOMERS}
    assert all(order.lines.exists() and order.shipping_address for order in orders)
    dates = [order.date_placed for order in orders]
    assert dates == sorted(dates)
    assert timezone.now() - timedelta(days=200) < dates[0] < dates[-1] < timezone.now()

    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert list(Page.objects.filter(depth=2)) == [site.root_page]
    assert site.root_page.get_children().type(ContentPage).live().in_menu().count() == 3

    segments = Segment.objects.all()
    assert {"Mug lovers", "Abandoned baskets", "Champions", "Scotland"} <= {
        s.name for s in segments
    }
    lapsed = compile_segment(segments.get(name="Lapsed home shoppers"))
    assert count_matching(lapsed)[0] > 0

    campaigns = {campaign.name: campaign for campaign in Campaign.objects.all()}
    assert {campaign.status for campaign in campaigns.values()} == {Campaign.Status.DRAFT}
    scottish = campaigns["Weekend sale, Scotland"]
    assert [segment.name for segment in scottish.include_segments.all()] == ["Scotland"]
    assert client.get(campaigns["New mugs near Manchester"].url).status_code == 200

    stores = Store.objects.select_related("partner").order_by("code")
    assert [store.city for store in stores] == ["Edinburgh", "London", "Manchester"]
    assert all(store.active and store.pickup_enabled for store in stores)
    assert {store.partner.name for store in stores} == {store.name for store in stores}
    store_codes = {store.partner_id: store.code for store in stores}
    stocked_at = {product.pk: set() for product in products}
    for product_id, partner_id in StockRecord.objects.values_list("product_id", "partner_id"):
        if partner_id in store_codes:
            stocked_at[product_id].add(store_codes[partner_id])
    assert {len(codes) for codes in stocked_at.values()} == {0, 1, 2, 3}
    assert all({code} in stocked_at.values() for code in store_codes.values())
    monday_noon = timezone.make_aware(datetime(2026, 11, 23, 12))
    assert all(store.is_open_at(monday_noon) for store in stores)

    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.email == "admin@example.com"
    assert (
        User.objects.filter(email__in=[customer.email for customer in DEMO_CUSTOMERS]).count() == 5
    )


def test_a_second_run_changes_nothing():
    first_output = run_demo()
    before = fingerprint()

    second_output = run_demo()

    assert fingerprint() == before
    step_lines = second_output.split("\n\n")[0].splitlines()
    assert len(step_lines) == len(DEMO_STEPS)
    assert all("already present" in line for line in step_lines)
    assert "created" in first_output


def test_prints_the_admin_credentials_on_every_run(monkeypatch):
    monkeypatch.setenv("OMNI_DEMO_ADMIN_PASSWORD", "a-chosen-password")

    for output in (run_demo(), run_demo()):
        assert "admin@example.com" in output
        assert "password: a-chosen-password" in output
        assert "/cms/" in output and "/shop/dashboard/" in output
    assert User.objects.get(username="admin").check_password("a-chosen-password")
