"""Banners on real pages: Wagtail's home and content pages, Oscar's product, basket and
thank-you pages show the variant that fits the visitor, escaped, with tracked links."""

import json
import re

import pytest
from conftest import DESKTOP_BROWSER, add_to_basket, check_out, log_in, make_customer
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.images.tests.utils import get_test_image_file

from omni_plugin.banners import tracking
from omni_plugin.banners.blocks import DynamicBannerBlock
from omni_plugin.banners.content import providers
from omni_plugin.banners.models import BannerStat, SlotBanner
from omni_plugin.personalization.recs.strategies import Recommendation
from sandbox.cms.models import ContentPage
from tests.banners.factories import (
    headlines,
    headlines_of,
    make_banner,
    make_slot,
    variant,
    variant_ids,
)
from tests.personalization.segment_factories import make_segment

pytestmark = pytest.mark.django_db

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
IPAD = (
    "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
CDN_NODE = "10.1.2.3"


@pytest.fixture
def cdn(settings):
    """Requests that come through a CDN node, which says which country the visitor is in."""
    settings.OMNI_TRUSTED_PROXIES = ["10.0.0.0/8"]


def from_country(client, path, country):
    return client.get(path, REMOTE_ADDR=CDN_NODE, HTTP_CF_IPCOUNTRY=country)


def creative(headline, **fields):
    return ("creative", {"headline": headline, **fields})


def test_the_home_page_shows_each_visitor_the_variant_for_their_country(home_page, cdn):
    make_slot(
        "home-hero",
        make_banner(
            "Summer",
            variant("UK", creative("Summer in Britain"), targeting={"countries": "GB"}),
            variant("Ireland", creative("Summer in Ireland"), targeting={"countries": "IE, NI"}),
            variant("Elsewhere", creative("Summer everywhere"), fallback=True),
        ),
    )

    assert headlines(from_country(Client(), "/", "GB")) == ["Summer in Britain"]
    assert headlines(from_country(Client(), "/", "IE")) == ["Summer in Ireland"]
    assert headlines(from_country(Client(), "/", "FR")) == ["Summer everywhere"]
    assert headlines(Client().get("/")) == ["Summer everywhere"]


def test_the_home_page_shows_each_device_its_variant(home_page):
    make_slot(
        "home-hero",
        make_banner(
            "App",
            variant("Phones", creative("Get the app"), targeting={"devices": ["mobile"]}),
            variant("Tablets", creative("Shop on your tablet"), targeting={"devices": ["tablet"]}),
            variant("Desktops", creative("Free delivery"), targeting={"devices": ["desktop"]}),
        ),
    )

    assert headlines(Client(HTTP_USER_AGENT=IPHONE).get("/")) == ["Get the app"]
    assert headlines(Client(HTTP_USER_AGENT=IPAD).get("/")) == ["Shop on your tablet"]
    assert headlines(Client(HTTP_USER_AGENT=DESKTOP_BROWSER).get("/")) == ["Free delivery"]


def test_the_home_page_shows_segment_members_their_variant(home_page, client):
    customers = make_segment("Customers", ("visitor", {"kind": "logged_in"}))
    make_slot(
        "home-hero",
        make_banner(
            "Loyalty",
            variant(
                "Members", creative("Welcome back"), targeting={"include_segments": [customers]}
            ),
            variant(
                "Guests", creative("Join the club"), targeting={"exclude_segments": [customers]}
            ),
        ),
    )
    assert headlines(client.get("/")) == ["Join the club"]

    make_customer("ada@example.com")
    log_in(client, "ada@example.com")
    assert headlines(client.get("/")) == ["Welcome back"]


def test_the_local_day_decides(home_page, client):
    from omni_plugin.geo.timezones import local_time

    today = local_time("").weekday()
    other_days = [str(day) for day in range(7) if day != today]
    make_slot(
        "home-hero",
        make_banner(
            "Days",
            variant("Not today", creative("Another day"), targeting={"days": other_days}),
            variant("Today", creative("Today only"), targeting={"days": [str(today)]}),
        ),
    )
    assert headlines(client.get("/")) == ["Today only"]


def test_banners_are_tried_in_the_slot_order(home_page, client):
    mobile_only = make_banner(
        "Mobile", variant("Phones", creative("Phones first"), targeting={"devices": ["mobile"]})
    )
    first = make_banner("First", variant("A", creative("First banner")))
    second = make_banner("Second", variant("A", creative("Second banner")))
    make_slot("home-hero", mobile_only, first, second)

    assert headlines(client.get("/")) == ["First banner"]
    assert headlines(Client(HTTP_USER_AGENT=IPHONE).get("/")) == ["Phones first"]


def test_an_unknown_or_empty_slot_renders_nothing(home_page, client):
    response = client.get("/")
    assert response.status_code == 200
    assert "omni-slot" not in response.content.decode()

    make_slot("home-hero")
    assert "omni-slot" not in client.get("/").content.decode()

    make_slot("home-hero-2", make_banner("Phones", variant("P", targeting={"devices": ["mobile"]})))
    assert "omni-slot" not in client.get("/").content.decode()


def test_drafts_and_banners_outside_their_schedule_are_not_shown(home_page, client):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    make_slot(
        "home-hero",
        make_banner("Draft", variant("A", creative("A draft")), live=False),
        make_banner("Later", variant("A", creative("Not yet")), go_live_at=now + timedelta(days=1)),
        make_banner("Over", variant("A", creative("Too late")), expire_at=now - timedelta(hours=1)),
        make_banner(
            "Now",
            variant("A", creative("Right now")),
            go_live_at=now - timedelta(hours=1),
            expire_at=now + timedelta(hours=1),
        ),
    )
    assert headlines(client.get("/")) == ["Right now"]


def test_unpublished_changes_are_not_shown_until_published(home_page, client):
    banner = make_banner("Sale", variant("A", creative("Spring sale")))
    make_slot("home-hero", banner)
    assert headlines(client.get("/")) == ["Spring sale"]

    banner.variants = json.dumps([variant("A", creative("Summer sale"))])
    revision = banner.save_revision()
    assert headlines(client.get("/")) == ["Spring sale"]

    revision.publish()
    assert headlines(client.get("/")) == ["Summer sale"]

    banner.refresh_from_db()
    banner.unpublish()
    assert headlines(client.get("/")) == []


def test_editor_text_is_escaped_and_the_link_goes_through_the_click_redirect(home_page, client):
    make_slot(
        "home-hero",
        make_banner(
            "Hostile",
            variant(
                "A",
                creative(
                    "<script>alert('headline')</script>",
                    text="Fish & <b>chips</b>",
                    call_to_action="<i>Go</i>",
                    link="/shop/catalogue/",
                ),
            ),
        ),
    )
    html = client.get("/").content.decode()

    assert "<script>alert('headline')" not in html
    assert "&lt;script&gt;alert(&#x27;headline&#x27;)&lt;/script&gt;" in html
    assert "Fish &amp; &lt;b&gt;chips&lt;/b&gt;" in html
    assert "&lt;i&gt;Go&lt;/i&gt;" in html
    href = re.search(r'<a class="btn btn-primary" href="([^"]+)">&lt;i&gt;Go', html).group(1)
    assert href.startswith("/omni/banners/click/")
    response = client.get(href)
    assert response.status_code == 302
    assert response["Location"] == "/shop/catalogue/"


def test_a_creative_shows_its_image_as_a_rendition(home_page, client):
    from wagtail.images.models import Image

    image = Image.objects.create(title="Beach", file=get_test_image_file())
    make_slot(
        "home-hero", make_banner("Beach", variant("A", creative("At the beach", image=image.pk)))
    )

    html = client.get("/").content.decode()
    assert re.search(r'<img [^>]*alt="Beach"[^>]*class="card-img-top img-fluid"', html)
    assert "fill-1200x400" in html


def test_product_names_in_a_strip_are_escaped(home_page, client, category, settings):
    from oscar.test.factories import create_product

    settings.OMNI_PERSONALISATION_BY_DEFAULT = True

    hostile = create_product(title="<script>alert('mug')</script>", price="5.00", num_in_stock=3)
    make_slot(
        "home-hero",
        make_banner(
            "Recent",
            variant("Recent", ("recently_viewed", {"title": "<em>Seen</em>"})),
            variant("Hello", creative("Hello"), fallback=True),
        ),
    )
    assert headlines(client.get("/")) == ["Hello"]  # nothing viewed yet: the fallback

    client.get(hostile.get_absolute_url())
    html = client.get("/").content.decode()

    assert "<script>alert('mug')" not in html
    assert "&lt;script&gt;alert(&#x27;mug&#x27;)&lt;/script&gt;" in html
    assert "&lt;em&gt;Seen&lt;/em&gt;" in html
    assert 'data-omni-kind="recently_viewed"' in html
    link = re.search(r'<h3 class="mt-3"><a href="([^"]+)"', html).group(1)
    assert client.get(link)["Location"] == hostile.get_absolute_url()


def test_the_product_page_slot_shows_its_banner(client, product):
    make_slot(
        "product-detail",
        make_banner("Mugs", variant("Desktop", creative("Mugs for every desk"))),
    )
    response = client.get(product.get_absolute_url())
    assert headlines(response) == ["Mugs for every desk"]
    assert "Enamel Camping Mug" in response.content.decode()  # Oscar's page is all there


def test_a_strip_on_the_product_page_is_given_the_page_product(
    client, product, category, monkeypatch
):
    seen = []

    def provider(request, content, product=None, limit=4):
        seen.append(product)
        return [Recommendation(product, 1.0, "Made for this page", "test")]

    # In place of the stores app's provider for this test only.
    monkeypatch.setitem(providers._by_kind, "collect_nearby", provider)
    make_slot("product-detail", make_banner("Nearby", variant("Near", ("collect_nearby", {}))))
    html = client.get(product.get_absolute_url()).content.decode()

    assert seen == [product]
    assert "Available to collect near you" in html
    assert "Made for this page" in html


def test_variants_with_nothing_to_show_give_way_to_the_next_variant(client, product):
    make_slot(
        "product-detail",
        make_banner(
            "In store",
            variant("Nearby", ("collect_nearby", {})),
            variant("Back", ("back_in_stock", {})),
            variant("Plain", creative("Also in our shops")),
        ),
    )
    assert headlines(client.get(product.get_absolute_url())) == ["Also in our shops"]


def test_the_basket_page_shows_the_variant_for_a_visitor_with_a_basket(client, product):
    shoppers = make_segment("Basket", ("basket_value", {"min_value": "1", "max_value": None}))
    make_slot(
        "basket",
        make_banner(
            "Basket",
            variant(
                "Shopper",
                creative("Free delivery today"),
                targeting={"include_segments": [shoppers]},
            ),
            variant("Empty", creative("Find something you love"), fallback=True),
        ),
    )
    assert headlines(client.get("/shop/basket/")) == ["Find something you love"]

    add_to_basket(client, product)
    assert headlines(client.get("/shop/basket/")) == ["Free delivery today"]


def test_the_thank_you_page_shows_its_slot(product, shipping_country, cdn):
    make_slot(
        "checkout-thank-you",
        make_banner(
            "Thanks",
            variant("UK", creative("Thank you, see you soon"), targeting={"countries": "GB"}),
            variant("Other", creative("Thanks for your order"), fallback=True),
        ),
    )
    from_britain = Client(
        HTTP_USER_AGENT=DESKTOP_BROWSER, REMOTE_ADDR=CDN_NODE, HTTP_CF_IPCOUNTRY="GB"
    )
    add_to_basket(from_britain, product)
    response = check_out(from_britain, guest_email="ada@example.com")
    assert headlines(response) == ["Thank you, see you soon"]
    assert response.context["order"].number in response.content.decode()


def test_a_banner_block_on_a_content_page_shows_its_banner_or_its_slot(home_page, client):
    banner = make_banner("Block", variant("A", creative("Placed by the editor")))
    slot = make_slot("side", make_banner("In slot", variant("A", creative("From the slot"))))
    body = [
        {"type": "banner", "value": {"banner": banner.pk, "slot": None}},
        {"type": "banner", "value": {"banner": None, "slot": slot.pk}},
    ]
    page = home_page.add_child(
        instance=ContentPage(title="Offers", slug="offers", body=json.dumps(body))
    )
    assert headlines(client.get(page.url)) == ["Placed by the editor", "From the slot"]


def test_the_banner_tag_shows_a_live_banner_and_nothing_for_a_draft(client):
    from django.template import Context, Template

    live = make_banner("Live", variant("A", creative("Live banner")))
    draft = make_banner("Draft", variant("A", creative("Draft banner")), live=False)
    request = client.get("/shop/").wsgi_request
    template = Template("{% load omni_banners %}{% omni_banner banner %}")

    assert headlines_of(template.render(Context({"request": request, "banner": live}))) == [
        "Live banner"
    ]
    assert template.render(Context({"request": request, "banner": draft})) == ""
    assert template.render(Context({"request": request, "banner": None})) == ""


def test_a_banner_block_wants_a_banner_or_a_slot_but_not_both(db):
    from django.core.exceptions import ValidationError

    banner = make_banner("Block", variant("A"))
    slot = make_slot("side", banner)
    block = DynamicBannerBlock()
    for value in ({"banner": None, "slot": None}, {"banner": banner.pk, "slot": slot.pk}):
        with pytest.raises(ValidationError) as error:
            block.clean(block.to_python(value))
        assert "Choose either a banner or a slot." in str(error.value.block_errors)
    assert block.clean(block.to_python({"banner": banner.pk, "slot": None}))["banner"] == banner.pk


def test_each_banner_shown_counts_one_impression_and_bots_none(home_page, client):
    banner = make_banner("Counted", variant("A", creative("Counted")))
    make_slot("home-hero", banner)
    client.get("/")
    client.get("/")
    Client(HTTP_USER_AGENT="curl/8.5.0").get("/")
    tracking.flush_stats()

    stat = BannerStat.objects.get(banner=banner)
    assert (stat.variant, stat.impressions) == (variant_ids(banner)["A"], 2)


def test_a_preview_shows_the_chosen_variant_and_counts_nothing(db, settings):
    settings.ALLOWED_HOSTS = ["*"]
    banner = make_banner(
        "Preview",
        variant("A", creative("First idea", link="/shop/")),
        variant("B", creative("Second idea", link="/shop/catalogue/")),
    )
    response = banner.make_preview_request(preview_mode=variant_ids(banner)["B"])
    html = response.render().content.decode()

    assert headlines_of(html) == ["Second idea"]
    assert 'href="/shop/catalogue/"' in html
    tracking.flush_stats()
    assert not BannerStat.objects.exists()


def test_choosing_costs_no_query_however_many_banners_variants_and_segments(
    home_page, client, django_assert_max_num_queries
):
    def page_queries():
        client.get("/")  # compiles what changed
        with CaptureQueriesContext(connection) as queries:
            assert headlines(client.get("/")) == ["For everyone"]
        return len(queries)

    everyone = make_banner("Everyone", variant("A", creative("For everyone")))
    slot = make_slot("home-hero", everyone)
    with_one = page_queries()

    phones = make_segment("Phones", ("device", {"devices": ["mobile"]}))
    for n in range(19):
        segment = make_segment(f"Segment {n}", ("location", {"countries": f"X{n % 10}"}))
        banner = make_banner(
            f"Banner {n}",
            *[
                variant(
                    f"V{v}",
                    creative(f"Banner {n} variant {v}"),
                    targeting={"include_segments": [segment, phones], "countries": "GB"},
                )
                for v in range(4)
            ],
            choice="ab_test",
        )
        SlotBanner.objects.create(slot=slot, banner=banner, sort_order=-n - 1)

    client.get("/")
    with django_assert_max_num_queries(with_one):
        assert headlines(client.get("/")) == ["For everyone"]
