"""The store-aware strategy: online prices and sales come from the warehouse, stock per store."""

import re
from decimal import Decimal

import pytest
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_product

from omni_plugin.stores.models import Store
from omni_plugin.stores.strategy import Selector as StoreSelector

Basket = get_model("basket", "Basket")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Selector = get_class("partner.strategy", "Selector")

pytestmark = pytest.mark.django_db


def make_store(name, code, latitude=53.48, longitude=-2.24, **fields):
    return Store.objects.create(
        name=name,
        code=code,
        line1="1 High Street",
        city=name,
        country="GB",
        latitude=latitude,
        longitude=longitude,
        **fields,
    )


def stock(product, partner, price, num_in_stock, num_allocated=0):
    return StockRecord.objects.create(
        product=product,
        partner=partner,
        partner_sku=f"{partner.pk}-{product.pk}",
        price=Decimal(price),
        num_in_stock=num_in_stock,
        num_allocated=num_allocated,
    )


@pytest.fixture
def manchester():
    return make_store("Oscar Omni Manchester", "MAN-01")


@pytest.fixture
def warehouse():
    return Partner.objects.create(name="Online warehouse")


@pytest.fixture
def mug(manchester, warehouse):
    """A mug whose store stock record was made before its warehouse one, cheaper."""
    product = create_product(title="Enamel Camping Mug")
    stock(product, manchester.partner, "9.99", 3)
    stock(product, warehouse, "12.50", 10)
    return product


def product_page(client, product):
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_the_shop_uses_the_store_aware_strategy_of_its_forked_partner_app():
    assert Selector is StoreSelector


def test_store_stock_does_not_change_the_online_price_or_stock(client, mug):
    page = product_page(client, mug)

    assert "£12.50" in page
    assert "£9.99" not in page
    assert "In stock (10 available)" in page


def test_the_online_basket_buys_from_the_warehouse(client, mug, warehouse):
    response = client.post(f"/shop/basket/add/{mug.pk}/", {"quantity": 1})

    assert response.status_code == 302
    line = Basket.objects.get().lines.get()
    assert line.stockrecord.partner == warehouse
    assert line.price_incl_tax == Decimal("12.50")


def test_a_product_only_on_a_stores_shelf_cannot_be_bought_online(client, manchester):
    product = create_product(title="Shelf-only Teapot")
    stock(product, manchester.partner, "20.00", 5)

    page = product_page(client, product)
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})

    assert "Unavailable" in page
    assert "£20.00" not in page
    assert not Basket.objects.filter(lines__product=product).exists()


def test_an_inactive_stores_stock_is_not_sold_online_either(client, manchester):
    Store.objects.filter(pk=manchester.pk).update(active=False)
    product = create_product(title="Shelf-only Teapot")
    stock(product, manchester.partner, "20.00", 5)

    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})

    assert not Basket.objects.filter(lines__product=product).exists()


def test_availability_at_stores_is_the_net_stock_of_each_stores_record(mug, manchester):
    london = make_store("Oscar Omni London", "LON-01", 51.51, -0.09)
    edinburgh = make_store("Oscar Omni Edinburgh", "EDI-01", 55.95, -3.19)
    stock(mug, london.partner, "12.50", 4, num_allocated=4)
    StockRecord.objects.filter(partner=manchester.partner).update(num_allocated=1)

    infos = Selector().strategy().fetch_for_stores(mug, [edinburgh, manchester, london])

    assert [info.store for info in infos] == [edinburgh, manchester, london]
    by_code = {info.store.code: info for info in infos}
    assert by_code["MAN-01"].availability.num_available == 2
    assert by_code["MAN-01"].availability.is_available_to_buy
    assert by_code["MAN-01"].stockrecord.partner == manchester.partner
    assert by_code["LON-01"].availability.num_available == 0
    assert not by_code["LON-01"].availability.is_available_to_buy
    assert by_code["EDI-01"].stockrecord is None
    assert not by_code["EDI-01"].availability.is_available_to_buy


def test_availability_at_stores_costs_one_query_for_any_number_of_stores(
    mug, manchester, django_assert_num_queries
):
    stores = [manchester] + [
        make_store(f"Store {number}", f"S-{number:02}") for number in range(10)
    ]
    strategy = Selector().strategy()

    with django_assert_num_queries(1):
        strategy.fetch_for_stores(mug, stores)


def test_a_new_stores_stock_is_kept_from_the_online_shop_at_once(client, mug):
    product_page(client, mug)  # the shop knows its stores' partners
    leeds = make_store("Oscar Omni Leeds", "LDS-01", 53.80, -1.55)
    product = create_product(title="Shelf-only Teapot")
    stock(product, leeds.partner, "20.00", 5)

    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})

    assert not Basket.objects.filter(lines__product=product).exists()


def test_a_parent_product_is_available_at_a_store_that_has_one_of_its_variants(manchester):
    london = make_store("Oscar Omni London", "LON-01", 51.51, -0.09)
    shirt = create_product(title="Camp Shirt", structure="parent")
    small = create_product(parent=shirt, title="Small")
    create_product(parent=shirt, title="Large")
    stock(small, manchester.partner, "20.00", 2)

    infos = Selector().strategy().fetch_for_stores(shirt, [manchester, london])

    assert [info.availability.is_available_to_buy for info in infos] == [True, False]
