"""Journeys in the Wagtail admin: an editor writes one with its steps; bad steps are refused."""

import re

import pytest
from django.test import override_settings
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from omni_plugin.core.models import Profile
from omni_plugin.messaging.models import Journey, JourneyRun
from tests.conftest import admin_browser
from tests.messaging.journey_factories import make_journey

pytestmark = pytest.mark.django_db

JOURNEYS = "/cms/snippets/omni_plugin/journey/"
PIPELINE = {
    "Pending": ("Being processed", "Cancelled"),
    "Being processed": ("Ready for collection", "Cancelled"),
    "Ready for collection": ("Complete",),
    "Cancelled": (),
    "Complete": (),
}


@pytest.fixture
def staff():
    return admin_browser("staff", is_staff=True, is_superuser=True)


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def step(delay, unit, channel, title, body):
    return {
        "delay": str(delay),
        "delay_unit": unit,
        "channel": channel,
        "title": title,
        "body": body,
    }


def journey_form(*steps, **fields):
    values = {
        "name": "Basket left",
        "trigger": "basket_left",
        "live": "on",
        "min_views": "3",
        "lookback_days": "14",
        "min_drop_percent": "10",
        "inactive_days": "60",
        "order_status": "",
        **fields,
    }
    return nested_form_data({**values, "steps": inline_formset(list(steps))})


PUSH_AFTER_AN_HOUR = step(1, "hours", "push", "Still thinking?", "Your {product} is waiting.")
EMAIL_AFTER_A_DAY = step(24, "hours", "email", "Your basket", "{count} item(s), {total}.")


def test_the_journeys_menu_item_is_in_the_admin(staff):
    assert JOURNEYS in staff.get("/cms/").content.decode()


def test_an_editor_creates_a_basket_left_journey_with_its_steps(staff):
    response = staff.post(f"{JOURNEYS}add/", journey_form(PUSH_AFTER_AN_HOUR, EMAIL_AFTER_A_DAY))

    assert response.status_code == 302, text(response)[:3000]
    journey = Journey.objects.get()
    assert (journey.name, journey.trigger, journey.live) == ("Basket left", "basket_left", True)
    assert journey.steps_summary() == "push after 1 h, email after 24 h"
    assert [s.body for s in journey.ordered_steps] == [
        "Your {product} is waiting.",
        "{count} item(s), {total}.",
    ]


def test_the_listing_shows_the_trigger_the_steps_and_the_active_runs(staff):
    journey = make_journey(
        "basket_left",
        (1, "hours", "push", "Still thinking?", "Your {product} is waiting."),
        (24, "hours", "email", "Your basket", "{count} item(s)."),
        name="Basket reminders",
    )
    for status in ("active", "active", "stopped"):
        JourneyRun.objects.create(
            journey=journey,
            profile=Profile.objects.create(),
            key="basket",
            started_at=journey.created_at,
            status=status,
        )

    page = text(staff.get(JOURNEYS))

    row = re.search(r"Basket reminders.*?</tr>", page).group(0)
    assert "Basket left" in row
    assert "push after 1 h, email after 24 h" in row
    assert re.search(r">\s*2\s*<", row)
    edit_page = text(staff.get(f"{JOURNEYS}edit/{journey.pk}/"))
    assert "Your {product} is waiting." in edit_page


def test_an_unknown_placeholder_is_a_form_error_naming_it_and_nothing_is_saved(staff):
    bad = step(1, "hours", "push", "Still thinking?", "Your {colour} {product} is waiting.")

    response = staff.post(f"{JOURNEYS}add/", journey_form(bad))

    assert response.status_code == 200
    assert "Unknown placeholder {colour} for a “Basket left” journey" in text(response)
    assert "use {count}, {product}, {total}" in text(response)
    assert not Journey.objects.exists()


def test_a_placeholder_of_another_trigger_is_refused(staff):
    bad = step(1, "days", "email", "We miss you", "New in {category}.")

    response = staff.post(f"{JOURNEYS}add/", journey_form(bad, trigger="browse_left"))

    assert "Unknown placeholder {category}" in text(response)
    assert not Journey.objects.exists()


def test_steps_must_come_later_one_after_the_other(staff):
    response = staff.post(
        f"{JOURNEYS}add/",
        journey_form(
            step(2, "days", "email", "Your basket", "Still there."),
            step(24, "hours", "push", "Your basket", "Still there."),
        ),
    )

    assert "Each step must come later than the one before it." in text(response)
    assert not Journey.objects.exists()


def test_a_journey_needs_a_step(staff):
    response = staff.post(f"{JOURNEYS}add/", journey_form())

    assert "A journey needs at least one step." in text(response)
    assert not Journey.objects.exists()


@override_settings(OSCAR_ORDER_STATUS_PIPELINE=PIPELINE)
def test_a_pickup_journey_takes_its_status_from_the_order_pipeline(staff):
    steps = (
        step(0, "minutes", "", "Order {order} is ready", "Collect it at {store}."),
        step(1, "days", "", "Order {order} is waiting", "At {store} until Friday."),
    )
    form = journey_form(*steps, name="Pickup", trigger="pickup_ready")

    missing = staff.post(f"{JOURNEYS}add/", form)
    unknown = staff.post(f"{JOURNEYS}add/", {**form, "order_status": "Shipped"})
    assert "Choose the order status that means it is ready for collection." in text(missing)
    assert "Select a valid choice. Shipped is not one of the available choices." in text(unknown)
    assert not Journey.objects.exists()

    response = staff.post(f"{JOURNEYS}add/", {**form, "order_status": "Ready for collection"})

    assert response.status_code == 302, text(response)[:3000]
    assert Journey.objects.get().order_status == "Ready for collection"
    assert "Ready for collection" in text(staff.get(f"{JOURNEYS}add/"))
