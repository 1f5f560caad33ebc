"""A warm recommendation is served from the cache, and never shows a product as it was."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_product, create_stockrecord

from omni_plugin.personalization.recommendations import recommend
from omni_plugin.personalization.recs.products import drop_kept
from tests.personalization.factories import (
    build,
    category,
    customer,
    explained,
    fresh,
    item,
    ordered,
    titles,
    viewed,
)

Basket = get_model("basket", "Basket")
ProductClass = get_model("catalogue", "ProductClass")
Selector = get_class("partner.strategy", "Selector")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def personalising(settings):
    settings.OMNI_PERSONALISATION_BY_DEFAULT = True


@pytest.fixture
def shop(db):
    """The Enamel Mug is bought with beans (twice) and filters; everyone looks at everything."""
    mugs, coffee = category("Mugs"), category("Coffee")
    products = {
        "A": item("Enamel Mug", mugs),
        "B": item("Tin Mug", mugs),
        "C": item("Glass Mug", mugs),
        "beans": item("Coffee Beans", coffee),
        "filters": item("Coffee Filters", coffee),
    }
    ordered(customer(), products["A"], products["beans"])
    ordered(customer(), products["A"], products["beans"])
    ordered(customer(), products["A"], products["filters"])
    for _ in range(2):
        viewed(customer(), *products.values())
    return products


@pytest.fixture
def visitor(shop):
    profile = customer("GB")
    viewed(profile, shop["A"], shop["B"])
    build()
    return fresh(profile)


def basket_with(*products):
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    for product in products:
        basket.add_product(product)
    return basket


def price_of(product):
    return Selector().strategy().fetch_for_product(product).price.excl_tax


def bought_with_mug(shop):
    return titles(recommend("bought_together", product=shop["A"]))


@pytest.mark.parametrize(
    "strategy",
    ["for_you", "bought_together", "similar", "trending", "recently_viewed", "buy_again"],
)
def test_a_warm_call_costs_at_most_one_query(
    visitor, shop, strategy, django_assert_max_num_queries
):
    recommend(strategy, profile=visitor, product=shop["C"], limit=8)

    with django_assert_max_num_queries(1):
        found = recommend(strategy, profile=visitor, product=shop["C"], limit=8)
        # What the product card reads comes with the products.
        for recommendation in found:
            recommendation.product.get_absolute_url()
            recommendation.product.primary_image()
            price_of(recommendation.product)
            recommendation.product.get_product_class()


def test_a_warm_basket_strip_costs_at_most_one_query(visitor, shop, django_assert_max_num_queries):
    basket = basket_with(shop["B"])
    recommend("bought_together", profile=visitor, basket=basket)

    with django_assert_max_num_queries(1):
        assert recommend("bought_together", profile=visitor, basket=basket)


def test_the_products_are_shared_between_processes_through_the_cache(
    visitor, shop, django_assert_num_queries
):
    first = explained(recommend("for_you", profile=visitor))
    drop_kept()  # as a process that never read them

    with django_assert_num_queries(0):
        assert explained(recommend("for_you", profile=visitor)) == first


def test_a_cached_strip_is_the_same_as_a_fresh_one(visitor, shop):
    cold = recommend("for_you", profile=visitor, limit=8)
    warm = recommend("for_you", profile=visitor, limit=8)

    assert explained(warm) == explained(cold)
    assert [r.score for r in warm] == pytest.approx([r.score for r in cold])


def test_a_price_change_is_seen_by_the_next_call(visitor, shop):
    assert price_of(recommend("bought_together", product=shop["A"])[0].product) == 10
    stockrecord = shop["beans"].stockrecords.get()
    stockrecord.price = Decimal("7.50")
    stockrecord.save()

    beans = recommend("bought_together", product=shop["A"])[0].product

    assert beans.title == "Coffee Beans"
    assert str(price_of(beans)) == "7.50"


def test_a_sold_out_product_is_left_out_by_the_next_call(visitor, shop):
    assert bought_with_mug(shop)[0] == "Coffee Beans"
    stockrecord = shop["beans"].stockrecords.get()
    stockrecord.num_in_stock = 0
    stockrecord.save()

    assert "Coffee Beans" not in bought_with_mug(shop)


def test_stock_allocated_to_orders_is_seen_by_the_next_call(visitor, shop):
    assert bought_with_mug(shop)[0] == "Coffee Beans"
    # Oscar allocates with an UPDATE, and sends post_save by hand.
    shop["beans"].stockrecords.get().allocate(10)

    assert "Coffee Beans" not in bought_with_mug(shop)


def test_a_deleted_product_is_left_out_by_the_next_call(visitor, shop):
    assert bought_with_mug(shop)[0] == "Coffee Beans"
    shop["beans"].delete()

    assert bought_with_mug(shop)[0] == "Coffee Filters"
    assert "Coffee Beans" not in titles(recommend("for_you", profile=visitor, limit=10))


def test_a_product_taken_off_the_shop_is_left_out_by_the_next_call(visitor, shop):
    assert bought_with_mug(shop)[0] == "Coffee Beans"
    shop["beans"].is_public = False
    shop["beans"].save()

    assert "Coffee Beans" not in bought_with_mug(shop)


def test_a_renamed_product_is_shown_with_its_new_title(visitor, shop):
    assert bought_with_mug(shop)[0] == "Coffee Beans"
    shop["beans"].title = "Ground Coffee"
    shop["beans"].save()

    assert bought_with_mug(shop)[0] == "Ground Coffee"


def test_a_parent_is_left_out_once_its_last_variant_sells_out(shop):
    shirt = create_product(
        title="Camp Shirt", structure="parent", product_class=ProductClass.objects.first()
    )
    shirt.categories.add(category("Shirts"))
    small = create_product(parent=shirt, title="", price="20.00", num_in_stock=5)
    ordered(customer(), shop["A"], small)
    ordered(customer(), shop["A"], small)
    ordered(customer(), shop["A"], small)
    build()
    assert bought_with_mug(shop)[0] == "Camp Shirt"

    stockrecord = small.stockrecords.get()
    stockrecord.num_in_stock = 0
    stockrecord.save()

    assert "Camp Shirt" not in bought_with_mug(shop)


def test_a_new_stock_record_brings_a_product_back(visitor, shop):
    shop["beans"].stockrecords.all().delete()
    assert "Coffee Beans" not in bought_with_mug(shop)

    create_stockrecord(shop["beans"], price="10.00", num_in_stock=5)

    assert bought_with_mug(shop)[0] == "Coffee Beans"
