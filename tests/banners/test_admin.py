"""Banners in the Wagtail admin: editing, publishing, slots and how many renderings they make."""

import re
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from omni_plugin.banners.models import Banner, Slot
from omni_plugin.banners.variant_count import count_renderings
from tests.banners.factories import make_banner, make_slot, variant
from tests.conftest import admin_browser
from tests.personalization.segment_factories import make_segment

pytestmark = pytest.mark.django_db

BANNERS = "/cms/snippets/omni_banners/banner/"
SLOTS = "/cms/snippets/omni_banners/slot/"
REPORTS = "/cms/banner-reports/"


@pytest.fixture
def staff():
    return admin_browser("staff", is_staff=True, is_superuser=True)


def creative(name, link="/shop/", fallback=False, countries="", devices=()):
    """A variant as the edit form posts it; ``devices`` is a multiple choice."""
    return {
        "name": name,
        "content": streamfield(
            [
                (
                    "creative",
                    {
                        "image": "",
                        "headline": f"{name} headline",
                        "text": "",
                        "call_to_action": "Shop now",
                        "link": link,
                    },
                )
            ]
        ),
        "targeting": {
            "countries": countries,
            "regions": "",
            "cities": "",
            "near_latitude": "",
            "near_longitude": "",
            "near_radius_km": "",
            "from_hour": "",
            "to_hour": "",
            "devices": list(devices),
        },
        "weight": "1",
        "fallback": "on" if fallback else "",
    }


def banner_form(name, variants, choice="priority", action="action-publish", **fields):
    multiple = {}
    for index, value in enumerate(variants):
        multiple[f"variants-{index}-value-targeting-devices"] = value["targeting"].pop("devices")
    data = nested_form_data(
        {
            "name": name,
            "choice": choice,
            "variants": streamfield([("variant", value) for value in variants]),
            "holdout_percent": "0",
            "frequency_cap": "",
            **fields,
        }
    )
    data.update(multiple)
    data[action] = action
    return data


def slot_form(name, key, banners):
    return nested_form_data(
        {
            "name": name,
            "key": key,
            "placements": inline_formset([{"banner": banner.pk} for banner in banners]),
        }
    )


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_banners_menu_holds_banners_slots_and_reports(staff):
    home = staff.get("/cms/").content.decode()

    for url in (BANNERS, SLOTS, REPORTS):
        assert url in home


def test_an_editor_creates_a_banner_with_two_variants_and_publishes_it(staff):
    variants = [creative("Summer", countries="GB", devices=["mobile"]), creative("Everyone")]
    response = staff.post(f"{BANNERS}add/", banner_form("Summer sale", variants))

    assert response.status_code == 302, text(response)[:3000]
    banner = Banner.objects.get(name="Summer sale")
    assert banner.live
    assert [child.value["name"] for child in banner.variants] == ["Summer", "Everyone"]
    targeting = banner.variants[0].value["targeting"]
    assert (targeting["countries"], targeting["devices"]) == ("GB", ["mobile"])
    assert banner.variants[1].value["content"][0].value["link"] == "/shop/"
    assert banner.revisions.count() == 1


def test_saving_a_draft_leaves_the_banner_unpublished(staff):
    response = staff.post(
        f"{BANNERS}add/", banner_form("Later", [creative("A")], action="action-save")
    )

    assert response.status_code == 302
    assert not Banner.objects.get(name="Later").live


def test_publishing_with_a_future_go_live_date_schedules_the_banner(staff):
    go_live = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    response = staff.post(
        f"{BANNERS}add/", banner_form("Black Friday", [creative("A")], go_live_at=go_live)
    )

    assert response.status_code == 302, text(response)[:3000]
    banner = Banner.objects.get(name="Black Friday")
    assert not banner.live
    assert banner.status_string == "scheduled"
    assert "scheduled" in text(staff.get(BANNERS))


def test_two_fallback_variants_are_refused_and_nothing_saved(staff):
    variants = [creative("A", fallback=True), creative("B", fallback=True)]
    response = staff.post(f"{BANNERS}add/", banner_form("Two fallbacks", variants))

    assert response.status_code == 200
    assert "Only one variant can be the fallback." in text(response)
    assert not Banner.objects.exists()


def test_a_javascript_link_is_refused(staff):
    variants = [creative("A", link="javascript:alert(1)")]
    response = staff.post(f"{BANNERS}add/", banner_form("Sneaky", variants))

    assert response.status_code == 200
    assert "Enter a path on this site (/shop/...) or a full http:// or https:// address." in (
        text(response)
    )
    assert not Banner.objects.exists()


def test_the_listing_shows_status_variants_and_slots(staff):
    summer = make_banner("Summer sale", variant("A"), variant("B"), variant("C"))
    make_banner("Winter sale", variant("A"), live=False)
    make_slot("home-hero", summer)

    html = text(staff.get(BANNERS))
    summer_row = html[html.index("Summer sale") : html.index("Winter sale")]
    assert "live" in summer_row and ">3<" in summer_row.replace(" ", "")
    assert "Home Hero" in summer_row
    assert "draft" in html[html.index("Winter sale") :]


def test_the_edit_page_offers_a_preview_per_variant_and_the_report(staff):
    banner = make_banner("Summer sale", variant("Sunny"), variant("Rainy"))

    html = text(staff.get(f"{BANNERS}edit/{banner.pk}/"))
    assert "Sunny" in html and "Rainy" in html
    assert f"{BANNERS}preview/{banner.pk}/" in html
    assert f"{REPORTS}{banner.pk}/" in html


def test_an_editor_builds_a_slot_whose_order_is_the_priority(staff):
    first, second = make_banner("First", variant("A")), make_banner("Second", variant("A"))

    response = staff.post(f"{SLOTS}add/", slot_form("Home hero", "home-hero", [second, first]))

    assert response.status_code == 302, text(response)[:3000]
    slot = Slot.objects.get(key="home-hero")
    assert [p.banner.name for p in slot.placements.order_by("sort_order")] == ["Second", "First"]


def targeted_slot():
    """A slot whose banners target 2 segments, 2 countries and 1 device class: 3 × 3 × 2."""
    mobile_fans = make_segment("Mobile fans", ("device", {"devices": ["mobile"]}))
    tablet_fans = make_segment("Tablet fans", ("device", {"devices": ["tablet"]}))
    banner = make_banner(
        "Summer sale",
        variant("Fans", targeting={"include_segments": [mobile_fans], "countries": "GB"}),
        variant("Others", targeting={"exclude_segments": [tablet_fans], "countries": "IE"}),
        variant("Phones", targeting={"devices": ["mobile"]}),
    )
    return make_slot("home-hero", banner), banner


def test_the_slot_page_shows_how_many_renderings_it_can_produce(staff):
    slot, _ = targeted_slot()

    html = text(staff.get(f"{SLOTS}edit/{slot.pk}/"))
    assert "can render <strong>18</strong> different ways" in html
    assert "the edge cache holds too many copies" not in html


@override_settings(OMNI_BANNER_VARIANTS_WARNING=10)
def test_the_slot_page_warns_when_the_renderings_exceed_the_setting(staff):
    slot, _ = targeted_slot()

    html = text(staff.get(f"{SLOTS}edit/{slot.pk}/"))
    assert (
        "The slot “Home Hero” can render 18 different ways; above 10 the edge cache holds too "
        "many copies — target fewer segments or countries." in html
    )


def test_the_slot_page_counts_the_banners_on_the_posted_form(staff):
    slot, banner = targeted_slot()
    plain = make_banner("Plain", variant("A"))

    response = staff.post(f"{SLOTS}edit/{slot.pk}/", slot_form("", "home-hero", [plain]))

    assert response.status_code == 200  # the name is missing
    assert "can render <strong>1</strong> way" in text(response)


@override_settings(OMNI_BANNER_VARIANTS_WARNING=10)
def test_the_banner_page_shows_the_renderings_of_each_slot_it_is_in(staff):
    slot, banner = targeted_slot()
    make_slot("footer", make_banner("Plain", variant("A")), banner)

    html = text(staff.get(f"{BANNERS}edit/{banner.pk}/"))
    assert "The slot “Home Hero” can render <strong>18</strong> different ways" in html
    assert "The slot “Footer” can render <strong>18</strong> different ways" in html
    assert "above 10 the edge cache holds too many copies" in html


def test_the_banner_page_counts_the_latest_draft(staff):
    slot, banner = targeted_slot()
    staff.post(
        f"{BANNERS}edit/{banner.pk}/",
        banner_form("Summer sale", [creative("Only")], action="action-save"),
    )

    assert "can render <strong>1</strong> way" in text(staff.get(f"{SLOTS}edit/{slot.pk}/"))


def renderings(*banners):
    return count_renderings(banners).total


def unsaved(*variants, **fields):
    return Banner(name="Test", variants=list(variants), **fields)


def test_a_banner_without_targeting_renders_one_way():
    assert renderings(unsaved(variant("A"), variant("B"))) == 1


def test_each_targeted_dimension_multiplies_by_its_values_plus_one():
    banner = unsaved(
        variant("GB phones", targeting={"countries": "GB, ie", "devices": ["mobile"]}),
        variant("Segment", targeting={"include_segments": ["1"], "exclude_segments": ["2"]}),
        variant("London", targeting={"cities": "London", "countries": "gb"}),
    )
    # (2 segments + 1) × (GB, IE, London + 1) × (1 device class + 1)
    assert renderings(banner) == 3 * 4 * 2


def test_a_store_area_and_a_time_window_each_count():
    banner = unsaved(
        variant(
            "Near", targeting={"near_latitude": 51.5, "near_longitude": -0.1, "near_radius_km": 5}
        ),
        variant("Weekend", targeting={"days": ["5", "6"]}),
        variant("Evening", targeting={"from_hour": 18, "to_hour": 22}),
    )
    assert renderings(banner) == 2 * 3


def test_device_classes_count_at_most_three():
    banner = unsaved(variant("All", targeting={"devices": ["mobile", "tablet", "desktop"]}))
    assert renderings(banner) == 3


def test_the_fallbacks_targeting_is_not_counted():
    banner = unsaved(
        variant("A"), variant("Fallback", targeting={"countries": "GB"}, fallback=True)
    )
    assert renderings(banner) == 1


def test_an_ab_test_multiplies_by_its_arms_and_the_holdout():
    ab_test = unsaved(
        variant("A"),
        variant("B", targeting={"countries": "GB"}),
        variant("Fallback", fallback=True),
        choice="ab_test",
        holdout_percent=10,
    )
    # (GB + 1) × (A, B and the holdout)
    assert renderings(ab_test) == 2 * 3


def test_the_banners_of_a_slot_share_their_targeted_values():
    first = unsaved(variant("GB", targeting={"countries": "GB", "devices": ["mobile"]}))
    second = unsaved(variant("FR", targeting={"countries": "FR, GB", "devices": ["mobile"]}))
    assert renderings(first, second) == 3 * 2


def test_an_editor_edits_a_page_that_places_a_slot_and_keeps_it(staff):
    import json

    from wagtail.models import Page

    from sandbox.cms.models import ContentPage

    slot = make_slot("summer-offers", make_banner("In slot", variant("A")))
    other = make_slot("winter-offers", make_banner("Other", variant("A")))
    body = [{"type": "banner", "value": {"banner": None, "slot": slot.pk}}]
    page = Page.get_first_root_node().add_child(
        instance=ContentPage(title="Offers", slug="offers", body=json.dumps(body))
    )

    editor = staff.get(f"/cms/pages/{page.pk}/edit/").content.decode()
    assert "Summer Offers" in editor  # the chooser shows the placed slot by its name

    data = nested_form_data(
        {
            "title": "Offers",
            "slug": "offers",
            "body": streamfield([("banner", {"banner": "", "slot": str(other.pk)})]),
        }
    )
    response = staff.post(f"/cms/pages/{page.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().body.raw_data[0]["value"] == {
        "banner": None,
        "slot": other.pk,
    }
