"""The recommendation strategies, their fallbacks and filters, on hand-made histories."""

import pytest
from conftest import add_to_basket
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_product

from omni_plugin.core.consent import record_consent
from omni_plugin.core.profiles import CachedProfile
from omni_plugin.personalization.recommendations import STRATEGIES, UnknownStrategy, recommend
from omni_plugin.personalization.recs import model as model_module
from omni_plugin.personalization.recs import store
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
ProductRecommendation = get_model("catalogue", "ProductRecommendation")
Selector = get_class("partner.strategy", "Selector")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def personalising(settings):
    settings.OMNI_PERSONALISATION_BY_DEFAULT = True


@pytest.fixture
def mugs(db):
    return category("Mugs")


@pytest.fixture
def catalogue(mugs):
    """Three mugs, a tent, and coffee beans and filters."""
    tents, coffee = category("Tents"), category("Coffee")
    return {
        "A": item("Enamel Mug", mugs),
        "B": item("Tin Mug", mugs),
        "C": item("Glass Mug", mugs),
        "T": item("Dome Tent", tents),
        "beans": item("Coffee Beans", coffee),
        "filters": item("Coffee Filters", coffee),
    }


@pytest.fixture
def browsed(catalogue):
    """Two customers look at the Enamel and Tin mugs (one at the tent too), one at the glass
    mug: the Tin Mug is the Enamel Mug's closest neighbour, and the only one among mugs."""
    A, B, C, T = (catalogue[key] for key in "ABCT")
    viewed(customer(), A, B, T)
    viewed(customer(), A, B)
    viewed(customer(), C)
    return catalogue


@pytest.fixture
def bought(catalogue):
    """The Enamel Mug was bought with coffee beans twice and with filters once."""
    A, beans, filters = catalogue["A"], catalogue["beans"], catalogue["filters"]
    ordered(customer(), A, beans)
    ordered(customer(), A, beans)
    ordered(customer(), A, filters, channel="store")
    return catalogue


def basket_with(*products):
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    for product in products:
        basket.add_product(product)
    return basket


# recently viewed


def test_recently_viewed_lists_the_visitors_products_newest_first(catalogue):
    A, B, C = (catalogue[key] for key in "ABC")
    visitor = customer()
    viewed(visitor, A, days_ago=3)
    viewed(visitor, B, days_ago=2)
    viewed(visitor, C, days_ago=1)

    found = recommend("recently_viewed", profile=fresh(visitor), product=B)

    assert explained(found) == [
        ("Glass Mug", "You viewed this recently", "recently_viewed"),
        ("Enamel Mug", "You viewed this recently", "recently_viewed"),
    ]


def test_recently_viewed_is_empty_for_a_new_visitor(catalogue):
    assert recommend("recently_viewed") == []
    assert recommend("recently_viewed", profile=fresh(customer())) == []


def test_nothing_personal_is_used_without_consent(catalogue, settings):
    settings.OMNI_PERSONALISATION_BY_DEFAULT = False
    visitor = customer()
    viewed(visitor, catalogue["A"])
    assert recommend("recently_viewed", profile=fresh(visitor)) == []

    record_consent(visitor.pk, "personalisation", "granted", source="test")
    assert titles(recommend("recently_viewed", profile=fresh(visitor))) == ["Enamel Mug"]


# similar


def test_similar_keeps_the_neighbours_of_the_same_category_then_falls_back(browsed):
    build()

    found = recommend("similar", product=browsed["A"])

    assert explained(found) == [
        ("Tin Mug", "Similar to Enamel Mug", "similar"),
        ("Glass Mug", "Popular in Mugs", "popular_in_category"),
        ("Dome Tent", "Popular with our customers", "popular"),
    ]


def test_similar_for_a_product_nobody_saw_is_the_categorys_most_popular(browsed, mugs):
    new_mug = item("Stone Mug", mugs)
    build()

    found = recommend("similar", product=new_mug, limit=3)

    assert explained(found) == [
        ("Enamel Mug", "Popular in Mugs", "popular_in_category"),
        ("Tin Mug", "Popular in Mugs", "popular_in_category"),
        ("Glass Mug", "Popular in Mugs", "popular_in_category"),
    ]


def test_a_renamed_category_is_named_anew_at_once(browsed, mugs):
    new_mug = item("Stone Mug", mugs)
    build()
    assert explained(recommend("similar", product=new_mug, limit=1))[0][1] == "Popular in Mugs"

    mugs.name = "Cups"
    mugs.save()

    assert explained(recommend("similar", product=new_mug, limit=1))[0][1] == "Popular in Cups"


def test_without_any_model_similar_recommends_nothing(browsed):
    assert recommend("similar", product=browsed["A"]) == []


# bought together


def test_bought_together_with_a_product(bought):
    build()

    found = recommend("bought_together", product=bought["A"])

    assert explained(found) == [
        ("Coffee Beans", "Customers who bought Enamel Mug also bought", "bought_together"),
        ("Coffee Filters", "Customers who bought Enamel Mug also bought", "bought_together"),
    ]
    assert found[0].score > found[1].score


def test_bought_together_with_the_basket(bought):
    build()

    found = recommend("bought_together", basket=basket_with(bought["A"]))

    assert explained(found) == [
        ("Coffee Beans", "Often bought with Enamel Mug", "bought_together"),
        ("Coffee Filters", "Often bought with Enamel Mug", "bought_together"),
    ]


def test_bought_together_falls_back_to_similar_when_nobody_bought_it(browsed):
    build()

    found = recommend("bought_together", product=browsed["A"])

    assert [r.strategy for r in found] == ["similar", "popular_in_category", "popular"]
    assert titles(found) == ["Tin Mug", "Glass Mug", "Dome Tent"]


def test_variants_are_recommended_as_their_parent_product(
    catalogue, mugs, django_assert_max_num_queries
):
    shirts = category("Shirts")
    shirt = create_product(
        title="Camp Shirt", structure="parent", product_class=ProductClass.objects.first()
    )
    shirt.categories.add(shirts)
    small = create_product(parent=shirt, title="", price="20.00", num_in_stock=5)
    large = create_product(parent=shirt, title="", price="20.00", num_in_stock=5)
    ordered(customer(), catalogue["A"], small)
    ordered(customer(), catalogue["A"], large)
    build()

    recommend("bought_together", product=catalogue["A"])
    # A parent's availability is its public variants': they and their stock are prefetched.
    with django_assert_max_num_queries(5):
        found = recommend("bought_together", product=catalogue["A"])

    assert [r.product for r in found] == [shirt]
    assert recommend("bought_together", product=small)[0].product == catalogue["A"]


# for you


def test_for_you_scores_the_visitors_history_by_similarity(browsed):
    visitor = customer()
    viewed(visitor, browsed["A"])
    build()

    found = recommend("for_you", profile=fresh(visitor))

    assert explained(found) == [
        ("Tin Mug", "Because you viewed Enamel Mug", "for_you"),
        ("Dome Tent", "Because you viewed Enamel Mug", "for_you"),
        ("Enamel Mug", "Popular with our customers", "popular"),
        ("Glass Mug", "Popular with our customers", "popular"),
    ]


def test_for_you_names_what_the_customer_bought(bought, settings):
    settings.OMNI_RECS_REPEAT_RATE = 0.0  # nothing counts as bought for good
    buyer = customer()
    ordered(buyer, bought["filters"], days_ago=30)
    build()

    found = recommend("for_you", profile=fresh(buyer), limit=1)

    assert explained(found) == [
        ("Enamel Mug", "Because you bought Coffee Filters", "for_you"),
    ]


@pytest.fixture
def trending(db, shipping_country):
    """Viewed this week: a kilt in Scotland, a pie in England (by three), wine in France."""
    food = category("Food")
    kilt, pie, wine = item("Kilt", food), item("Pork Pie", food), item("Red Wine", food)
    for _ in range(2):
        viewed(customer("GB", "Scotland"), kilt)
        viewed(customer("FR"), wine)
    for _ in range(3):
        viewed(customer("GB", "England"), pie)
    build()
    return kilt, pie, wine


def test_for_you_for_a_new_visitor_is_trending_in_their_country_then_popular(trending):
    newcomer = CachedProfile(customer("GB", "Wales").pk, {"geo": {"country": "GB"}})

    assert explained(recommend("for_you", profile=newcomer)) == [
        ("Pork Pie", "Popular in United Kingdom", "trending_in_country"),
        ("Kilt", "Popular in United Kingdom", "trending_in_country"),
        ("Red Wine", "Popular with our customers", "popular"),
    ]


def test_for_you_for_an_anonymous_visitor_is_the_most_popular(trending):
    assert titles(recommend("for_you")) == ["Pork Pie", "Kilt", "Red Wine"]


# trending


def test_trending_in_the_region_then_the_country_then_everywhere(trending):
    scot = fresh(customer("GB", "Scotland"))

    assert explained(recommend("trending", profile=scot)) == [
        ("Kilt", "Popular in Scotland", "trending_in_region"),
        ("Pork Pie", "Popular in United Kingdom", "trending_in_country"),
        ("Red Wine", "Trending now", "trending"),
    ]


def test_trending_where_nothing_trends_is_trending_everywhere(trending):
    german = fresh(customer("DE", "Bavaria"))

    assert explained(recommend("trending", profile=german)) == [
        ("Pork Pie", "Trending now", "trending"),
        ("Kilt", "Trending now", "trending"),
        ("Red Wine", "Trending now", "trending"),
    ]


def test_trending_without_recent_activity_is_the_most_popular(catalogue):
    for _ in range(2):
        viewed(customer(), catalogue["T"], days_ago=30)
    build()

    assert explained(recommend("trending")) == [
        ("Dome Tent", "Popular with our customers", "popular")
    ]


# buy again


@pytest.fixture
def strict_repeats(settings, monkeypatch):
    """Raw repeat rates and a threshold of 0.2: a product nobody bought twice is not
    repeatable, however few bought it (the filters' mechanism on tiny data)."""
    monkeypatch.setattr(model_module, "REPEAT_PRIOR_BUYERS", 0)
    settings.OMNI_RECS_REPEAT_RATE = 0.2


@pytest.fixture
def regulars(catalogue, strict_repeats):
    """The beans are bought again (by one of their two buyers); tent and filters are not."""
    regular = customer()
    ordered(regular, catalogue["beans"], days_ago=30)
    ordered(regular, catalogue["beans"], catalogue["T"], days_ago=20)
    ordered(customer(), catalogue["beans"])
    once = customer()
    ordered(once, catalogue["filters"])
    build()
    return regular, once


def test_buy_again_offers_what_people_buy_again(regulars, catalogue):
    regular, once = regulars

    assert explained(recommend("buy_again", profile=fresh(regular))) == [
        ("Coffee Beans", "Buy again", "buy_again")
    ]
    assert recommend("buy_again", profile=fresh(once)) == []
    assert recommend("buy_again") == []


def test_for_you_offers_again_what_the_customer_buys_again(regulars):
    regular, once = regulars

    assert ("Coffee Beans", "Buy again", "for_you") in explained(
        recommend("for_you", profile=fresh(regular))
    )
    assert "Coffee Filters" not in titles(recommend("for_you", profile=fresh(once)))


def test_buy_again_leaves_out_the_basket(regulars, catalogue):
    regular, _ = regulars
    basket = basket_with(catalogue["beans"])

    assert recommend("buy_again", profile=fresh(regular), basket=basket) == []


# manual


def test_manual_is_the_shops_choice_by_ranking(catalogue):
    A, T, beans = catalogue["A"], catalogue["T"], catalogue["beans"]
    ProductRecommendation.objects.create(primary=A, recommendation=T, ranking=1)
    ProductRecommendation.objects.create(primary=A, recommendation=beans, ranking=5)

    assert explained(recommend("manual", product=A)) == [
        ("Coffee Beans", "Recommended with Enamel Mug", "manual"),
        ("Dome Tent", "Recommended with Enamel Mug", "manual"),
    ]
    assert recommend("manual") == []
    assert recommend("manual", product=T) == []


# filters


@pytest.fixture
def crowd(catalogue):
    """Everything trends equally this week, so the trending list is in product order."""
    for _ in range(2):
        viewed(customer(), *catalogue.values())
    return catalogue


ALL = ["Enamel Mug", "Tin Mug", "Glass Mug", "Dome Tent", "Coffee Beans", "Coffee Filters"]


def test_everything_is_recommended_to_someone_new(crowd):
    build()
    assert titles(recommend("trending", limit=10)) == ALL


def test_unavailable_products_are_left_out(crowd):
    stockrecord = crowd["B"].stockrecords.get()
    stockrecord.num_in_stock = 0
    stockrecord.save()
    crowd["C"].is_public = False
    crowd["C"].save()
    build()

    assert "Tin Mug" not in titles(recommend("trending", limit=10))
    assert "Glass Mug" not in titles(recommend("trending", limit=10))


def test_the_baskets_products_are_left_out(crowd):
    build()
    basket = basket_with(crowd["A"], crowd["T"])

    assert titles(recommend("trending", basket=basket, limit=10)) == [
        "Tin Mug",
        "Glass Mug",
        "Coffee Beans",
        "Coffee Filters",
    ]


def test_the_product_shown_is_left_out(crowd):
    build()
    assert "Enamel Mug" not in titles(recommend("trending", product=crowd["A"], limit=10))


def test_bought_products_are_left_out_unless_bought_again(crowd, strict_repeats):
    regular, once = customer(), customer()
    ordered(regular, crowd["beans"], days_ago=30)
    ordered(regular, crowd["beans"], crowd["T"], days_ago=25)
    ordered(once, crowd["filters"], days_ago=30)
    build()

    assert titles(recommend("trending", profile=fresh(regular), limit=10)) == [
        "Enamel Mug",
        "Tin Mug",
        "Glass Mug",
        "Coffee Beans",
        "Coffee Filters",
    ]
    assert "Coffee Filters" not in titles(recommend("trending", profile=fresh(once), limit=10))


def test_a_category_just_bought_from_is_suppressed_for_a_while(crowd, strict_repeats, settings):
    just, earlier = customer(), customer()
    ordered(just, crowd["B"], days_ago=10)
    ordered(earlier, crowd["B"], days_ago=20)
    build()

    assert titles(recommend("trending", profile=fresh(just), limit=10)) == [
        "Dome Tent",
        "Coffee Beans",
        "Coffee Filters",
    ]
    assert titles(recommend("trending", profile=fresh(earlier), limit=10)) == [
        "Enamel Mug",
        "Glass Mug",
        "Dome Tent",
        "Coffee Beans",
        "Coffee Filters",
    ]
    settings.OMNI_RECS_SUPPRESS_CATEGORY_DAYS = 30
    assert "Enamel Mug" not in titles(recommend("trending", profile=fresh(earlier), limit=10))


def test_products_bought_again_are_not_suppressed_with_their_category(crowd, strict_repeats):
    regular, just = customer(), customer()
    ordered(regular, crowd["beans"], days_ago=30)
    ordered(regular, crowd["beans"], days_ago=25)
    ordered(just, crowd["beans"], days_ago=10)
    build()

    assert titles(recommend("trending", profile=fresh(just), limit=10)) == [
        "Enamel Mug",
        "Tin Mug",
        "Glass Mug",
        "Dome Tent",
        "Coffee Beans",
    ]


# the API


def test_an_unknown_strategy_is_a_clear_error():
    with pytest.raises(UnknownStrategy, match="'bestsellers' is not a recommendation strategy"):
        recommend("bestsellers")
    with pytest.raises(UnknownStrategy, match="recently_viewed, similar, bought_together"):
        recommend("bestsellers")


def test_every_strategy_answers_with_no_data_at_all(catalogue):
    for strategy in STRATEGIES:
        assert recommend(strategy, product=catalogue["A"]) == []


def test_nothing_is_recommended_when_the_plugin_is_off(crowd, settings):
    build()
    settings.OMNI_ENABLED = False
    assert recommend("trending") == []


def test_a_warm_recommendation_costs_a_few_queries_whatever_the_number(
    browsed, django_assert_max_num_queries
):
    visitor = customer()
    viewed(visitor, browsed["A"], browsed["C"])
    build()
    profile = fresh(visitor)
    recommend("for_you", profile=profile, limit=8)

    # The products and what Oscar's strategy and card read: products, stock records,
    # images, public children (no stock records of theirs: none has children).
    with django_assert_max_num_queries(4):
        assert len(recommend("for_you", profile=profile, limit=8)) == 4


def test_reading_the_served_model_from_the_cache_costs_no_query(bought, django_assert_num_queries):
    build()
    model = store.served_model()
    store.product_rows(model, [bought["A"].pk, bought["beans"].pk])
    store.popular(model)

    with django_assert_num_queries(0):
        model = store.served_model()
        rows = store.product_rows(model, [bought["A"].pk, bought["beans"].pk])
        assert store.popular(model)[0][0] == bought["A"].pk
    assert [pid for pid, _ in rows[bought["A"].pk].bought_with] == [
        bought["beans"].pk,
        bought["filters"].pk,
    ]


# the template tag


def test_the_product_page_shows_what_was_bought_with_it(client, bought):
    build()

    page = client.get(bought["A"].get_absolute_url()).content.decode()

    assert "Customers also bought" in page
    assert "Coffee Beans" in page and "Coffee Filters" in page
    assert "Customers who bought Enamel Mug also bought" in page


def test_the_product_page_shows_no_strip_without_recommendations(client, catalogue):
    page = client.get(catalogue["A"].get_absolute_url()).content.decode()
    assert "Customers also bought" not in page
    assert "omni-recommendations" not in page


def test_the_basket_page_shows_what_is_bought_with_the_basket(client, bought):
    build()
    add_to_basket(client, bought["A"])

    page = client.get("/shop/basket/").content.decode()

    assert "Often bought together" in page
    assert "Often bought with Enamel Mug" in page
    assert "Coffee Beans" in page


def test_the_template_tag_gives_the_list_to_a_template(rf, bought):
    from django.template import Context, Template

    build()
    request = rf.get("/")
    request.strategy = Selector().strategy()
    template = Template(
        "{% load omni_recommendations %}"
        '{% recommendations "bought_together" product=product limit=1 as found %}'
        "{% for r in found %}{{ r.product.title }}: {{ r.reason }}{% endfor %}"
    )

    assert template.render(Context({"request": request, "product": bought["A"]})) == (
        "Coffee Beans: Customers who bought Enamel Mug also bought"
    )
