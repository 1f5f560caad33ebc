"""Impressions and clicks: counted once, in batches, and never for bots or previews."""

import re
from io import StringIO

import pytest
from conftest import DESKTOP_BROWSER, PASSWORD
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from wagtail.models import Page, Site

from omni_plugin.banners import counters
from omni_plugin.banners.compiled import live_banners
from omni_plugin.banners.models import BannerStat
from omni_plugin.banners.tasks import flush_banner_stats
from omni_plugin.banners.tracking import CLICK_SALT, click_url, flush_stats, note_impression
from omni_plugin.core.context import PREVIEW_SESSION_KEY, OmniRequest
from omni_plugin.core.models import Event
from sandbox.cms.models import HomePage
from tests.banners.factories import make_banner, make_slot, variant, variant_ids

pytestmark = pytest.mark.django_db

BOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
LINK = "/shop/catalogue/"


@pytest.fixture
def banner():
    return make_banner("Summer sale", variant("A", ("creative", {"link": LINK})), variant("B"))


def page_request(user_agent=DESKTOP_BROWSER, **attributes):
    """A request as the middleware hands it to the rendering of a page."""
    request = RequestFactory().get("/", HTTP_USER_AGENT=user_agent)
    request.session = {}
    request.user = AnonymousUser()
    request.omni = OmniRequest(request)
    for name, value in attributes.items():
        setattr(request, name, value)
    return request


def shown(request, banner_id, variant_id):
    """A page that showed the banner, served: its impressions are counted once it is done."""
    note_impression(request, banner_id, variant_id)
    request.omni.finish(HttpResponse())


def link_of(banner, variant_name="A", link=LINK):
    return click_url(page_request(), banner.pk, variant_ids(banner)[variant_name], link)


def figures(banner, variant_name="A"):
    """(impressions, clicks) of a variant once the counts are written."""
    flush_stats()
    stat = BannerStat.objects.filter(
        banner=banner, variant=variant_ids(banner)[variant_name]
    ).first()
    return (stat.impressions, stat.clicks) if stat else (0, 0)


def forged_token(*payload):
    """A token signed with the site's key: what only the site itself can make."""
    return signing.Signer(salt=CLICK_SALT).sign_object(list(payload), compress=True)


@pytest.fixture
def home_page_with_banner(banner):
    home = Page.get_first_root_node().add_child(instance=HomePage(title="Shop", slug="shop-home"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"root_page": home, "hostname": "localhost", "site_name": "Shop"},
    )
    make_slot("home-hero", banner)
    return home


def test_a_visitor_who_sees_the_banner_and_clicks_it_is_counted(
    client, banner, home_page_with_banner
):
    html = client.get("/").content.decode()
    client.get("/")
    href = re.search(r'href="(/omni/banners/click/[^"]+)"', html).group(1)

    response = client.get(href)

    assert response["Location"] == LINK
    assert figures(banner) == (2, 1)


def test_a_click_leads_to_the_link_and_counts_once(client, banner):
    url = link_of(banner)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == LINK
    assert figures(banner) == (0, 1)
    clicked = Event.objects.get(kind="banner_clicked")
    assert clicked.data == {"banner": banner.pk, "variant": variant_ids(banner)["A"]}


def test_the_click_address_is_the_same_for_every_visitor(banner):
    """Nothing personal in it, so a fragment holding it can be cached for everyone."""
    first, second = (
        click_url(page_request(), banner.pk, variant_ids(banner)["A"], LINK) for _ in "12"
    )

    assert first == second
    assert first.startswith("/omni/banners/click/")


def test_the_click_redirect_is_never_stored_by_a_shared_cache(client, banner):
    response = client.get(link_of(banner))

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_an_external_link_is_followed(client, banner):
    response = client.get(link_of(banner, link="https://maker.example/mugs?size=large"))

    assert response["Location"] == "https://maker.example/mugs?size=large"


def test_a_bots_click_is_followed_but_not_counted(banner):
    response = Client(HTTP_USER_AGENT=BOT).get(link_of(banner))

    assert response.status_code == 302
    assert figures(banner) == (0, 0)
    assert not Event.objects.filter(kind="banner_clicked").exists()


def test_a_link_checkers_head_request_is_not_counted(client, banner):
    response = client.head(link_of(banner))

    assert response.status_code == 302
    assert figures(banner) == (0, 0)


def test_a_click_by_staff_previewing_a_segment_is_not_counted(client, banner):
    staff = get_user_model().objects.create_user(
        username="editor", email="editor@example.com", password=PASSWORD, is_staff=True
    )
    client.force_login(staff)
    session = client.session
    session[PREVIEW_SESSION_KEY] = [1, "Returning visitors"]
    session.save()

    response = client.get(link_of(banner))

    assert response.status_code == 302
    assert figures(banner) == (0, 0)
    assert not Event.objects.filter(kind="banner_clicked").exists()


@override_settings(OMNI_ENABLED=False)
def test_with_the_plugin_off_a_click_is_followed_and_not_counted(client, banner):
    response = client.get(link_of(banner))

    assert response["Location"] == LINK
    assert figures(banner) == (0, 0)


def test_a_wagtail_preview_links_straight_to_the_destination_and_counts_nothing(banner):
    preview = page_request(is_preview=True)

    shown(preview, banner.pk, variant_ids(banner)["A"])

    assert click_url(preview, banner.pk, variant_ids(banner)["A"], LINK) == LINK
    assert figures(banner) == (0, 0)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: "x" + token,
        lambda token: "not-a-token",
    ],
    ids=["signature", "payload", "garbage"],
)
def test_an_altered_click_token_is_refused_and_nothing_is_recorded(client, banner, tamper):
    token = link_of(banner).split("/")[-2]

    response = client.get(f"/omni/banners/click/{tamper(token)}/")

    assert response.status_code == 400
    assert "This banner link is broken or was altered" in response.content.decode()
    assert figures(banner) == (0, 0)
    assert not Event.objects.filter(kind="banner_clicked").exists()


@pytest.mark.parametrize(
    "link", ["javascript:alert(document.cookie)", "//evil.example/", "ftp://files.example/"]
)
def test_a_click_token_with_an_unsafe_link_is_refused(client, banner, link):
    token = forged_token(banner.pk, variant_ids(banner)["A"], link)

    response = client.get(f"/omni/banners/click/{token}/")

    assert response.status_code == 400
    assert "leads to an address that is not allowed" in response.content.decode()
    assert figures(banner) == (0, 0)


def test_a_click_on_a_deleted_banner_is_not_found(client, banner):
    url = link_of(banner)
    banner.delete()

    response = client.get(url)

    assert response.status_code == 404
    assert not Event.objects.filter(kind="banner_clicked").exists()


def test_impressions_are_written_only_when_flushed(banner, django_assert_num_queries):
    live_banners()  # compiled once per change of the banners, not per request
    with django_assert_num_queries(0):
        for _ in range(3):
            shown(page_request(), banner.pk, variant_ids(banner)["A"])
        shown(page_request(), banner.pk, variant_ids(banner)["B"])

    assert not BannerStat.objects.exists()
    assert figures(banner, "A") == (3, 0)
    assert figures(banner, "B") == (1, 0)


def test_flushing_again_adds_only_what_was_counted_since(banner):
    shown(page_request(), banner.pk, variant_ids(banner)["A"])
    assert figures(banner) == (1, 0)
    assert flush_stats() == 0
    assert figures(banner) == (1, 0)

    shown(page_request(), banner.pk, variant_ids(banner)["A"])

    assert figures(banner) == (2, 0)


def test_a_bots_impressions_are_not_counted(banner):
    shown(page_request(user_agent=BOT), banner.pk, variant_ids(banner)["A"])

    assert figures(banner) == (0, 0)


class StaleReads:
    """The cache as a second flush sees it when it read the counters before the first wrote."""

    def __init__(self, cache, stale):
        self.cache, self.stale = cache, stale

    def get_many(self, keys):
        found = self.cache.get_many(keys)
        return {key: self.stale.get(key, value) for key, value in found.items()}

    def __getattr__(self, name):
        return getattr(self.cache, name)


def test_two_flushes_at_once_write_each_count_once(banner, monkeypatch):
    for _ in range(5):
        shown(page_request(), banner.pk, variant_ids(banner)["A"])
    cache = counters.counter_cache()
    read_by_second_flush = cache.get_many(_registered_counter_keys(cache))

    flush_stats()  # the first flush writes the five
    shown(page_request(), banner.pk, variant_ids(banner)["A"])
    monkeypatch.setattr(counters, "counter_cache", lambda: StaleReads(cache, read_by_second_flush))
    flush_stats()  # the second read the counter before the first took the five
    monkeypatch.undo()

    assert figures(banner) == (6, 0)


def _registered_counter_keys(cache):
    from django.utils import timezone

    day = timezone.localdate()
    size = cache.get(counters._sequence_key(day)) or 0
    names = cache.get_many([counters._entry_key(day, n) for n in range(1, size + 1)]).values()
    return [f"{counters.PREFIX}:{day.isoformat()}:{name}" for name in names]


def test_counts_are_kept_when_writing_them_fails(banner, monkeypatch):
    shown(page_request(), banner.pk, variant_ids(banner)["A"])

    def fail(*args, **kwargs):
        raise RuntimeError("database unavailable")

    monkeypatch.setattr("omni_plugin.banners.tracking.add_to_stat", fail)
    with pytest.raises(RuntimeError):
        flush_stats()
    monkeypatch.undo()

    assert figures(banner) == (1, 0)


def test_the_task_and_the_command_write_the_counts(banner):
    shown(page_request(), banner.pk, variant_ids(banner)["A"])
    flush_banner_stats.enqueue()
    assert BannerStat.objects.get(variant=variant_ids(banner)["A"]).impressions == 1

    shown(page_request(), banner.pk, variant_ids(banner)["A"])
    call_command("omni_flush_banner_stats", stdout=StringIO())

    assert BannerStat.objects.get(variant=variant_ids(banner)["A"]).impressions == 2


def test_counts_are_written_a_minute_at_a_time_without_a_scheduler(
    banner, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(
        "omni_plugin.banners.tracking._next_due_check", 0.0
    )  # as in a fresh process
    with django_capture_on_commit_callbacks(execute=True) as started:
        shown(page_request(), banner.pk, variant_ids(banner)["A"])
    with django_capture_on_commit_callbacks(execute=True) as started_again:
        shown(page_request(), banner.pk, variant_ids(banner)["A"])

    assert (len(started), len(started_again)) == (1, 0)
    assert BannerStat.objects.get(variant=variant_ids(banner)["A"]).impressions == 1


def test_a_cache_that_fails_while_counting_does_not_break_the_page(banner, monkeypatch, caplog):
    def cache_down(figures, day=None):
        raise ConnectionError("the cache is down")

    monkeypatch.setattr(counters, "count_many", cache_down)
    shown(page_request(), banner.pk, variant_ids(banner)["A"])

    assert "1 banner impressions could not be counted." in caplog.text
    assert not BannerStat.objects.exists()
