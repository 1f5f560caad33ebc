"""Orders counted for the banner their customer last clicked, within the window, once."""

from datetime import timedelta
from decimal import Decimal

import pytest
from conftest import add_to_basket, check_out, log_in, make_customer
from django.test import RequestFactory, override_settings
from django.utils import timezone
from oscar.apps.order.signals import order_placed

from omni_plugin.banners.attribution import attribute_order
from omni_plugin.banners.models import AttributedOrder, BannerStat
from omni_plugin.banners.tracking import click_url
from omni_plugin.core.events import record
from omni_plugin.core.models import Event, Profile
from tests.banners.factories import make_banner, variant, variant_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def summer():
    return make_banner("Summer sale", variant("A", ("creative", {"link": "/shop/"})), variant("B"))


@pytest.fixture
def autumn():
    return make_banner("Autumn mugs", variant("Mugs", ("creative", {"link": "/shop/"})))


def click(client, banner, variant_name):
    url = click_url(RequestFactory().get("/"), banner.pk, variant_ids(banner)[variant_name], "/")
    assert client.get(url).status_code == 302


def orders_and_revenue(banner, variant_name):
    stat = BannerStat.objects.filter(banner=banner, variant=variant_ids(banner)[variant_name])
    return [(row.orders, row.revenue) for row in stat]


def buy(client, product, email="ada@example.com"):
    add_to_basket(client, product)
    return check_out(client, guest_email=email).context["order"]


def test_an_order_after_a_click_counts_for_the_clicked_variant(
    client, product, shipping_country, summer
):
    click(client, summer, "A")

    order = buy(client, product)

    assert orders_and_revenue(summer, "A") == [(1, order.total_incl_tax)]
    assert order.total_incl_tax > 0
    assert orders_and_revenue(summer, "B") == []
    stat = BannerStat.objects.get(banner=summer)
    assert stat.day == timezone.localdate(order.date_placed)


def test_an_order_without_a_click_counts_for_no_banner(client, product, shipping_country, summer):
    buy(client, product)

    assert not BannerStat.objects.exists()
    assert not AttributedOrder.objects.exists()


def test_a_click_older_than_the_window_does_not_count(client, product, shipping_country, summer):
    click(client, summer, "A")
    Event.objects.filter(kind="banner_clicked").update(
        occurred_at=timezone.now() - timedelta(days=7, hours=1)
    )

    buy(client, product)

    assert orders_and_revenue(summer, "A") == []


@override_settings(OMNI_BANNER_ATTRIBUTION_DAYS=30)
def test_the_window_is_a_setting(client, product, shipping_country, summer):
    click(client, summer, "A")
    Event.objects.filter(kind="banner_clicked").update(
        occurred_at=timezone.now() - timedelta(days=29)
    )

    order = buy(client, product)

    assert orders_and_revenue(summer, "A") == [(1, order.total_incl_tax)]


def test_the_last_clicked_banner_wins(client, product, shipping_country, summer, autumn):
    click(client, summer, "A")
    click(client, autumn, "Mugs")

    order = buy(client, product)

    assert orders_and_revenue(autumn, "Mugs") == [(1, order.total_incl_tax)]
    assert orders_and_revenue(summer, "A") == []


def test_the_same_order_is_never_counted_twice(client, product, shipping_country, summer):
    click(client, summer, "A")
    order = buy(client, product)

    order_placed.send(sender=None, order=order, user=order.user)

    assert orders_and_revenue(summer, "A") == [(1, order.total_incl_tax)]
    assert AttributedOrder.objects.get().order_number == order.number


def test_a_customer_who_clicked_before_logging_in_gets_the_order_counted(
    client, product, shipping_country, summer
):
    make_customer("grace@example.com")
    click(client, summer, "B")
    log_in(client, "grace@example.com")
    add_to_basket(client, product)

    order = check_out(client).context["order"]

    assert orders_and_revenue(summer, "B") == [(1, order.total_incl_tax)]


def test_orders_add_up_on_the_days_figures(client, product, shipping_country, summer):
    click(client, summer, "A")
    first = buy(client, product)
    second = buy(client, product)

    assert orders_and_revenue(summer, "A") == [(2, first.total_incl_tax + second.total_incl_tax)]


def test_a_store_order_counts_for_the_profiles_click(client, summer):
    click(client, summer, "A")
    profile = Profile.objects.get()
    placed_at = timezone.now()
    record(
        "order_placed",
        profile=profile,
        channel="store",
        order_number="POS-1001",
        value=Decimal("30.00"),
        occurred_at=placed_at,
    )

    attribute_order(
        number="POS-1001", placed_at=placed_at, total=Decimal("30.00"), profile_ids=[profile.pk]
    )
    attribute_order(
        number="POS-1001", placed_at=placed_at, total=Decimal("30.00"), profile_ids=[profile.pk]
    )

    assert orders_and_revenue(summer, "A") == [(1, Decimal("30.00"))]
