"""Segments in the Wagtail admin: editing with a live count, reasons on profiles, preview."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from wagtail.test.utils.form_data import nested_form_data, streamfield

from omni_plugin.core.events import record
from omni_plugin.core.models import Event, Profile
from omni_plugin.personalization.models import Segment
from tests.conftest import admin_browser
from tests.personalization.segment_factories import make_segment

pytestmark = pytest.mark.django_db

SEGMENTS = "/cms/snippets/omni_personalization/segment/"


@pytest.fixture
def staff():
    return admin_browser("staff", is_staff=True, is_superuser=True)


def segment_form(name, rules, match="all", active=True):
    """The edit form's POST data; a list value is a multiple choice."""
    scalar_rules = [
        (kind, {k: v for k, v in value.items() if not isinstance(v, list)}) for kind, value in rules
    ]
    data = nested_form_data(
        {"name": name, "description": "", "match": match, "rules": streamfield(scalar_rules)}
    )
    for index, (_, value) in enumerate(rules):
        for key, choices in value.items():
            if isinstance(choices, list):
                data[f"rules-{index}-value-{key}"] = choices
    if active:
        data["active"] = "on"
    return data


def viewer_of(product, times, profile=None):
    """A profile (new unless given) that viewed ``product`` ``times`` times."""
    profile = profile or Profile.objects.create()
    for _ in range(times):
        record("product_viewed", profile=profile.pk, product=product)
    return profile


def test_the_segments_menu_item_leads_to_the_list_with_member_counts(
    staff, product, django_capture_on_commit_callbacks
):
    viewer_of(product, 2)
    viewer_of(product, 1)
    with django_capture_on_commit_callbacks(execute=True):
        make_segment("Mug fans", ("viewed", {"product": product.pk, "times": 2, "days": 7}))

    assert SEGMENTS in staff.get("/cms/").content.decode()
    html = staff.get(SEGMENTS).content.decode()
    assert "Mug fans" in html
    row = html[html.index("Mug fans") :]
    assert "All rules" in row
    assert ">1<" in row.replace(" ", "").replace("\n", "")  # one rule, one member


def test_an_editor_creates_a_segment_through_the_form(staff, product):
    rules = [
        ("viewed", {"product": product.pk, "category": "", "times": "3", "days": "7"}),
        ("device", {"devices": ["mobile", "tablet"]}),
    ]
    response = staff.post(f"{SEGMENTS}add/", segment_form("Mobile mug fans", rules))

    assert response.status_code == 302, response.content.decode()[:3000]
    segment = Segment.objects.get(name="Mobile mug fans")
    assert [child.block_type for child in segment.rules] == ["viewed", "device"]
    assert segment.rules[0].value["product"] == product


def test_a_rule_with_both_a_product_and_a_category_is_refused_and_nothing_saved(
    staff, product, category
):
    rules = [
        ("viewed", {"product": product.pk, "category": category.pk, "times": "1", "days": "7"})
    ]
    response = staff.post(f"{SEGMENTS}add/", segment_form("Confused", rules))

    assert response.status_code == 200
    assert "Choose a product or a category, not both and not neither." in response.content.decode()
    assert not Segment.objects.exists()


def test_a_segment_needs_at_least_one_rule(staff):
    response = staff.post(f"{SEGMENTS}add/", segment_form("Empty", []))

    assert response.status_code == 200
    assert not Segment.objects.exists()


def test_the_live_count_answers_for_the_rules_on_the_form_before_saving(staff, product):
    viewer_of(product, 3)
    viewer_of(product, 1)
    Profile.objects.create()
    rules = [("viewed", {"product": product.pk, "category": "", "times": "2", "days": "7"})]

    response = staff.post(f"{SEGMENTS}count/", segment_form("", rules))
    assert response.status_code == 200
    assert response.json() == {"count": 1, "total": 3}
    rules[0][1]["times"] = "1"
    assert staff.post(f"{SEGMENTS}count/", segment_form("", rules)).json()["count"] == 2
    assert not Segment.objects.exists()


def test_the_live_count_of_broken_rules_is_a_clear_400(staff, product, category):
    rules = [
        ("viewed", {"product": product.pk, "category": category.pk, "times": "2", "days": "7"})
    ]
    response = staff.post(f"{SEGMENTS}count/", segment_form("", rules))

    assert response.status_code == 400
    assert response.json() == {
        "error": "Correct the rules to see how many customers they match: "
        "Choose a product or a category, not both and not neither."
    }


def test_the_edit_form_holds_the_live_count_panel(staff, product):
    segment = make_segment("Phones", ("device", {"devices": ["mobile"]}))
    html = staff.get(f"{SEGMENTS}edit/{segment.pk}/").content.decode()

    assert f'data-url="{SEGMENTS}count/"' in html
    assert "omni/personalization/segment-count.js" in html
    assert f"{SEGMENTS}preview/{segment.pk}/" in html


def test_an_editor_without_segment_permissions_gets_no_count():
    group = Group.objects.create(name="Shop assistants")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor = admin_browser("editor")
    get_user_model().objects.get(username="editor").groups.add(group)

    response = editor.post(f"{SEGMENTS}count/", segment_form("", []))
    assert (response.status_code, response.url) == (302, "/cms/")  # Wagtail's "no permission"


def test_the_profile_page_shows_the_segments_and_why(staff, product):
    make_segment(
        "Mug fans",
        ("viewed", {"product": product.pk, "times": 2, "days": 7}),
        ("device", {"devices": ["mobile"]}),
        match="any",
    )
    make_segment("Phones", ("device", {"devices": ["mobile"]}))
    profile = viewer_of(product, 2)

    html = staff.get(f"/cms/customers/{profile.pk}/").content.decode()
    section = html[html.index('id="segments-section"') :]
    section = section[: section.index("</section>")]
    assert "Mug fans" in section
    assert "Viewed Enamel Camping Mug 2+ times in the last 7 days" in section
    assert "Phones" not in section


def test_previewing_the_site_as_a_segment_shows_a_bar_and_tracks_nothing(staff, product):
    segment = make_segment("Phones", ("device", {"devices": ["mobile"]}))

    response = staff.get(f"{SEGMENTS}preview/{segment.pk}/")
    assert response.status_code == 302 and response.url == "/"
    page = staff.get(product.get_absolute_url())
    html = page.content.decode()
    assert "You are seeing the site as the segment “Phones”." in html
    from omni_plugin.personalization.segmenting import segments_for_request

    assert [m.name for m in segments_for_request(page.wsgi_request)] == ["Phones"]
    assert not Event.objects.filter(kind="product_viewed").exists()

    staff.post("/omni/segments/preview/stop/", {"next": product.get_absolute_url()})
    html = staff.get(product.get_absolute_url()).content.decode()
    assert "You are seeing the site as" not in html


def test_only_staff_may_preview(product):
    segment = make_segment("Phones", ("device", {"devices": ["mobile"]}))
    customer = admin_browser("customer")

    response = customer.get(f"{SEGMENTS}preview/{segment.pk}/")
    assert response.status_code in (302, 403)
    assert (
        "You are seeing the site as"
        not in customer.get(product.get_absolute_url()).content.decode()
    )


def test_memberships_are_refreshed_when_a_segment_is_saved(
    staff, product, django_capture_on_commit_callbacks
):
    viewer_of(product, 1)
    rules = [("viewed", {"product": product.pk, "category": "", "times": "1", "days": "7"})]
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(f"{SEGMENTS}add/", segment_form("Mug viewers", rules))
    segment = Segment.objects.get()
    assert segment.memberships.count() == 1

    rules[0][1]["times"] = "2"
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(f"{SEGMENTS}edit/{segment.pk}/", segment_form("Mug viewers", rules))
    assert segment.memberships.count() == 0
    segment.refresh_from_db()
    assert segment.rules[0].value["times"] == 2
