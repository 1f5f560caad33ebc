"""The product cards of a strip are rendered once and serve every visitor, never stale."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.template import RequestContext, Template
from django.test import Client
from django.utils import translation
from oscar.core.loading import get_class, get_model

from tests.personalization.factories import build, category, customer, item, ordered

Basket = get_model("basket", "Basket")
Selector = get_class("partner.strategy", "Selector")

pytestmark = pytest.mark.django_db

CARD_FORM = re.compile(
    r'<form action="(?P<action>/shop/basket/add/(?P<pk>\d+)/)" method="post">\s*'
    r'<input type="hidden" name="csrfmiddlewaretoken" value="(?P<token>[^"]+)">'
)


@pytest.fixture
def mug_and_beans(db):
    """The Enamel Mug is bought with coffee beans: its page shows the beans' card."""
    mug, beans = item("Enamel Mug", category("Mugs")), item("Coffee Beans", category("Coffee"))
    for _ in range(2):
        ordered(customer(), mug, beans)
    build()
    return mug, beans


def strip_of(page):
    html = page.content.decode()
    start = html.index('class="omni-recommendations"')
    return html[start : html.index("</section>", start)]


def card_form(strip, product):
    forms = [form for form in CARD_FORM.finditer(strip) if int(form["pk"]) == product.pk]
    assert len(forms) == 1, strip
    return forms[0]


def test_each_visitor_adds_to_the_basket_from_a_card_another_visitor_saw_first(mug_and_beans):
    mug, beans = mug_and_beans
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_form = card_form(strip_of(first.get(mug.get_absolute_url())), beans)

    second_form = card_form(strip_of(second.get(mug.get_absolute_url())), beans)
    added = second.post(
        second_form["action"], {"quantity": 1, "csrfmiddlewaretoken": second_form["token"]}
    )

    assert second_form["token"] != first_form["token"]
    assert added.status_code == 302
    basket = second.get("/shop/basket/").content.decode()
    assert "Coffee Beans" in basket


def test_a_price_change_shows_in_the_card_on_the_next_page(client, mug_and_beans):
    mug, beans = mug_and_beans
    assert "£10.00" in strip_of(client.get(mug.get_absolute_url()))
    stockrecord = beans.stockrecords.get()
    stockrecord.price = Decimal("7.50")
    stockrecord.save()

    strip = strip_of(client.get(mug.get_absolute_url()))

    assert "£7.50" in strip and "£10.00" not in strip


def test_a_renamed_product_shows_its_new_title_in_the_card(client, mug_and_beans):
    mug, beans = mug_and_beans
    assert "Coffee Beans" in strip_of(client.get(mug.get_absolute_url()))
    beans.title = "Ground Coffee"
    beans.save()

    strip = strip_of(client.get(mug.get_absolute_url()))

    assert "Ground Coffee" in strip and "Coffee Beans" not in strip


def test_a_card_is_rendered_in_the_language_of_the_page(rf, settings, mug_and_beans):
    settings.LANGUAGES = [("en-gb", "English"), ("pl", "Polski")]
    mug, _ = mug_and_beans
    template = Template(
        "{% load omni_recommendations %}{% recommendation_strip 'bought_together' product=mug %}"
    )

    def strip_in(language):
        request = rf.get("/")
        request.strategy, request.session = Selector().strategy(), {}
        request.basket = Basket(strategy=request.strategy)
        with translation.override(language):
            return template.render(RequestContext(request, {"mug": mug}))

    assert "Add to basket" in strip_in("en-gb")
    polish = strip_in("pl")

    assert "Dodaj do koszyka" in polish and "Add to basket" not in polish


def test_a_refused_add_to_basket_shows_its_errors_to_that_visitor_only(mug_and_beans):
    mug, beans = mug_and_beans
    refused, other = Client(), Client()
    refused.get(mug.get_absolute_url())
    refused.post(f"/shop/basket/add/{beans.pk}/", {"quantity": 500})

    errors = strip_of(refused.get(mug.get_absolute_url()))
    clean = strip_of(other.get(mug.get_absolute_url()))

    assert 'value="500"' in errors
    assert 'value="500"' not in clean and "Coffee Beans" in clean


@pytest.fixture
def card_naming_the_visitor(settings, tmp_path):
    partials = tmp_path / "oscar" / "catalogue" / "partials"
    partials.mkdir(parents=True)
    (partials / "product.html").write_text(
        "<p>{{ product.title }} picked for {{ request.user.username }}</p>"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [str(tmp_path), *settings.TEMPLATES[0]["DIRS"]]}
    ]


def test_without_the_card_cache_a_card_may_show_the_visitor(
    settings, card_naming_the_visitor, mug_and_beans
):
    settings.OMNI_RECS_CARD_CACHE = False
    mug, _ = mug_and_beans
    pages = {}
    for name in ("alice", "bob"):
        visitor = Client()
        visitor.force_login(get_user_model().objects.create_user(name, f"{name}@example.com"))
        pages[name] = strip_of(visitor.get(mug.get_absolute_url()))

    assert "Coffee Beans picked for alice" in pages["alice"]
    assert "Coffee Beans picked for bob" in pages["bob"]
