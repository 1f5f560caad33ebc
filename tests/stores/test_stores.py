"""Stores: opening hours and exceptions, the nearest stores, their partner, and the admin."""

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from oscar.core.loading import get_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from omni_plugin.stores.models import OpeningException, OpeningHours, Store, Weekday
from omni_plugin.stores.nearest import nearest_stores
from tests.conftest import admin_browser

Partner = get_model("partner", "Partner")

LONDON_TIME = ZoneInfo("Europe/London")
STORES = "/cms/snippets/omni_stores/store/"

LONDON = (51.5142, -0.0931)
MANCHESTER = (53.4794, -2.2453)
EDINBURGH = (55.9533, -3.1883)
GLASGOW = (55.8642, -4.2518)

# A week in November, when London keeps GMT: local time is UTC.
MONDAY = date(2026, 11, 23)
SATURDAY = date(2026, 11, 28)
SUNDAY = date(2026, 11, 29)


def hours(weekday, opens, closes, overnight=False):
    return OpeningHours(weekday=weekday, opens=opens, closes=closes, overnight=overnight)


def weekly_hours():
    """Monday to Saturday 09:00-20:00, Sunday 11:00-17:00."""
    week = [hours(day, time(9), time(20)) for day in range(Weekday.SATURDAY + 1)]
    return [*week, hours(Weekday.SUNDAY, time(11), time(17))]


def store_with(opening_hours=None, exceptions=(), time_zone="Europe/London"):
    """A store held in memory, as the editor's form builds it before saving."""
    return Store(
        name="Manchester",
        code="MAN-01",
        time_zone=time_zone,
        opening_hours=weekly_hours() if opening_hours is None else opening_hours,
        exceptions=list(exceptions),
    )


def at(day, hour, minute=0, zone=LONDON_TIME):
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


# Opening hours


def test_a_regular_day_has_its_weekly_hours_in_the_stores_time_zone():
    store = store_with()

    intervals = store.opening_intervals(MONDAY)

    assert intervals == [(at(MONDAY, 9), at(MONDAY, 20))]
    assert {str(moment.tzinfo) for interval in intervals for moment in interval} == {
        "Europe/London"
    }
    assert store.opening_intervals(SUNDAY) == [(at(SUNDAY, 11), at(SUNDAY, 17))]


def test_open_from_the_opening_time_until_just_before_closing():
    store = store_with()

    assert not store.is_open_at(at(MONDAY, 8, 59))
    assert store.is_open_at(at(MONDAY, 9))
    assert store.is_open_at(at(MONDAY, 19, 59))
    assert not store.is_open_at(at(MONDAY, 20))


def test_closes_at_is_the_end_of_the_current_opening():
    store = store_with()

    assert store.closes_at(at(MONDAY, 10)) == at(MONDAY, 20)
    assert store.closes_at(at(MONDAY, 10)).tzinfo == LONDON_TIME
    assert store.closes_at(at(MONDAY, 21)) is None


def test_next_opening_is_the_next_start_after_the_moment():
    store = store_with()

    assert store.next_opening(at(MONDAY, 7)) == at(MONDAY, 9)
    assert store.next_opening(at(MONDAY, 21)) == at(date(2026, 11, 24), 9)
    assert store.next_opening(at(MONDAY, 10)) == at(date(2026, 11, 24), 9)
    assert store.next_opening(at(SATURDAY, 21)) == at(SUNDAY, 11)


def test_a_day_without_hours_is_closed():
    store = store_with([hours(day, time(9), time(17)) for day in range(Weekday.SATURDAY + 1)])

    assert store.opening_intervals(SUNDAY) == []
    assert not store.is_open_at(at(SUNDAY, 12))
    assert store.closes_at(at(SUNDAY, 12)) is None
    assert store.next_opening(at(SUNDAY, 12)) == at(date(2026, 11, 30), 9)


def test_a_day_can_have_several_openings():
    store = store_with([hours(Weekday.MONDAY, time(13), time(17)), hours(0, time(9), time(12))])

    assert store.opening_intervals(MONDAY) == [
        (at(MONDAY, 9), at(MONDAY, 12)),
        (at(MONDAY, 13), at(MONDAY, 17)),
    ]
    assert not store.is_open_at(at(MONDAY, 12, 30))
    assert store.closes_at(at(MONDAY, 10)) == at(MONDAY, 12)
    assert store.next_opening(at(MONDAY, 12, 30)) == at(MONDAY, 13)


def test_a_closed_exception_closes_the_whole_date():
    christmas = date(2026, 12, 25)
    store = store_with(exceptions=[OpeningException(date=christmas, closed=True)])

    assert store.opening_intervals(christmas) == []
    assert not store.is_open_at(at(christmas, 12))
    assert store.next_opening(at(date(2026, 12, 24), 21)) == at(date(2026, 12, 26), 9)


def test_special_hours_replace_the_regular_hours_of_that_date():
    boxing_day = date(2026, 12, 26)
    store = store_with(
        exceptions=[OpeningException(date=boxing_day, opens=time(10), closes=time(16))]
    )

    assert store.opening_intervals(boxing_day) == [(at(boxing_day, 10), at(boxing_day, 16))]
    assert not store.is_open_at(at(boxing_day, 9, 30))
    assert store.closes_at(at(boxing_day, 15)) == at(boxing_day, 16)
    assert store.opening_intervals(date(2026, 12, 19)) == [
        (at(date(2026, 12, 19), 9), at(date(2026, 12, 19), 20))
    ]


def test_hours_past_midnight_belong_to_the_day_they_open():
    friday = date(2026, 11, 27)
    store = store_with([hours(Weekday.FRIDAY, time(18), time(2), overnight=True)])

    assert store.opening_intervals(friday) == [(at(friday, 18), at(SATURDAY, 2))]
    assert store.opening_intervals(SATURDAY) == []
    assert store.is_open_at(at(SATURDAY, 1))
    assert store.closes_at(at(SATURDAY, 1)) == at(SATURDAY, 2)
    assert not store.is_open_at(at(SATURDAY, 2))
    assert store.next_opening(at(SATURDAY, 1)) == at(date(2026, 12, 4), 18)


def test_hours_that_meet_at_midnight_are_one_opening():
    friday = date(2026, 11, 27)
    store = store_with(
        [
            hours(Weekday.FRIDAY, time(9), time(0), overnight=True),
            hours(Weekday.SATURDAY, time(0), time(3)),
        ]
    )

    assert store.closes_at(at(friday, 22)) == at(SATURDAY, 3)
    assert store.next_opening(at(friday, 8)) == at(friday, 9)
    assert store.next_opening(at(friday, 10)) == at(date(2026, 12, 4), 9)


def test_opening_times_follow_the_clock_across_a_dst_change():
    spring_forward = date(2026, 3, 29)  # clocks go from 01:00 GMT to 02:00 BST
    store = store_with()

    assert store.opening_intervals(spring_forward) == [
        (datetime(2026, 3, 29, 10, tzinfo=UTC), datetime(2026, 3, 29, 16, tzinfo=UTC))
    ]
    assert store.is_open_at(datetime(2026, 3, 29, 10, 30, tzinfo=UTC))
    assert not store.is_open_at(datetime(2026, 3, 22, 10, 30, tzinfo=UTC))


def test_a_night_across_the_clocks_going_back_lasts_an_hour_longer():
    saturday = date(2026, 10, 24)  # the next night clocks go from 02:00 BST to 01:00 GMT
    store = store_with([hours(Weekday.SATURDAY, time(18), time(2), overnight=True)])

    [(opens, closes)] = store.opening_intervals(saturday)

    assert (opens, closes) == (
        datetime(2026, 10, 24, 17, tzinfo=UTC),
        datetime(2026, 10, 25, 2, tzinfo=UTC),
    )
    # Subtracting in UTC: Python subtracts datetimes of one time zone by their wall clocks.
    assert (closes.astimezone(UTC) - opens.astimezone(UTC)).total_seconds() == 9 * 3600
    assert store.is_open_at(datetime(2026, 10, 25, 1, 30, tzinfo=UTC))


def test_a_store_keeps_its_own_time_zone():
    new_york = ZoneInfo("America/New_York")
    store = store_with(time_zone="America/New_York")

    assert store.opening_intervals(MONDAY) == [
        (at(MONDAY, 9, zone=new_york), at(MONDAY, 20, zone=new_york))
    ]
    assert not store.is_open_at(datetime(2026, 11, 23, 10, tzinfo=UTC))
    assert store.is_open_at(datetime(2026, 11, 23, 14, tzinfo=UTC))
    assert store.next_opening(datetime(2026, 11, 23, 10, tzinfo=UTC)).tzinfo == new_york


def test_a_store_without_hours_never_opens():
    store = store_with([])

    assert not store.is_open_at(at(MONDAY, 12))
    assert store.next_opening(at(MONDAY, 12)) is None


# Nearest stores and partners


def make_store(name, code, coordinates, **fields):
    latitude, longitude = coordinates
    defaults = {"line1": "1 High Street", "city": name, "country": "GB"}
    return Store.objects.create(
        name=name,
        code=code,
        latitude=latitude,
        longitude=longitude,
        **{**defaults, **fields},
    )


@pytest.fixture
def three_stores(db):
    return (
        make_store("London", "LON-01", LONDON),
        make_store("Manchester", "MAN-01", MANCHESTER),
        make_store("Edinburgh", "EDI-01", EDINBURGH, pickup_enabled=True),
    )


def test_nearest_stores_are_sorted_by_distance(three_stores):
    london, manchester, edinburgh = three_stores

    nearest = nearest_stores(GLASGOW)

    assert [store for store, _ in nearest] == [edinburgh, manchester, london]
    assert [round(distance) for _, distance in nearest] == [67, 295, 556]


@pytest.mark.parametrize(
    "origin, store_name, km",
    [(LONDON, "Manchester", 263), (LONDON, "Edinburgh", 534), (MANCHESTER, "Edinburgh", 282)],
)
def test_distances_between_cities(three_stores, origin, store_name, km):
    distances = {store.name: distance for store, distance in nearest_stores(origin)}

    assert distances[store_name] == pytest.approx(km, abs=1)


def test_nearest_stores_leave_out_inactive_stores_and_honour_the_limit(three_stores):
    london, manchester, edinburgh = three_stores
    edinburgh.active = False
    edinburgh.save()

    assert [store for store, _ in nearest_stores(GLASGOW)] == [manchester, london]
    assert [store for store, _ in nearest_stores(GLASGOW, limit=1)] == [manchester]
    pickup = Store.objects.filter(pickup_enabled=True)
    assert nearest_stores(GLASGOW, queryset=pickup) == []


def test_a_new_store_gets_a_partner_named_after_it(db):
    store = make_store("Leeds", "LDS-01", (53.7997, -1.5492))

    assert store.partner.name == "Leeds"
    assert Partner.objects.get(store=store) == store.partner


def test_a_store_keeps_the_partner_it_is_given(db):
    partner = Partner.objects.create(name="Leeds warehouse")

    store = make_store("Leeds", "LDS-01", (53.7997, -1.5492), partner=partner)

    assert store.partner == partner
    assert Partner.objects.count() == 1


# The Wagtail admin


@pytest.fixture
def staff(db):
    return admin_browser("staff", is_staff=True, is_superuser=True)


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def row(weekday, opens, closes, overnight=False, **extra):
    return {
        "weekday": str(weekday),
        "opens": opens,
        "closes": closes,
        "overnight": "on" if overnight else "",
        **extra,
    }


def exception(day, closed=False, opens="", closes="", note="", **extra):
    return {
        "date": day,
        "closed": "on" if closed else "",
        "opens": opens,
        "closes": closes,
        "overnight": "",
        "note": note,
        **extra,
    }


def store_form(opening_hours=(), exceptions=(), initial_hours=0, initial_exceptions=0, **fields):
    values = {
        "name": "Manchester",
        "code": "man-01",
        "active": "on",
        "phone": "0161 496 0742",
        "email": "manchester@example.com",
        "line1": "40 Market Street",
        "line2": "",
        "city": "Manchester",
        "state": "England",
        "postcode": "M1 1PW",
        "country": "gb",
        "latitude": "53.4794",
        "longitude": "-2.2453",
        "time_zone": "Europe/London",
        "pickup_enabled": "on",
        "partner": "",
        **fields,
    }
    return nested_form_data(
        {
            **values,
            "opening_hours": inline_formset(list(opening_hours), initial=initial_hours),
            "exceptions": inline_formset(list(exceptions), initial=initial_exceptions),
        }
    )


def test_the_stores_menu_item_is_in_the_admin(staff):
    assert STORES in staff.get("/cms/").content.decode()


def test_an_editor_creates_a_store_with_its_hours(staff):
    form = store_form(
        opening_hours=[row(day, "09:00", "20:00") for day in range(6)]
        + [row(Weekday.SUNDAY, "11:00", "17:00")],
        exceptions=[exception("2026-12-25", closed=True, note="Christmas Day")],
    )

    response = staff.post(f"{STORES}add/", form)

    assert response.status_code == 302, text(response)[:3000]
    store = Store.objects.get()
    assert (store.code, store.country, store.pickup_enabled) == ("MAN-01", "GB", True)
    assert store.opening_hours.count() == 7
    assert store.opening_intervals(SUNDAY) == [(at(SUNDAY, 11), at(SUNDAY, 17))]
    assert store.opening_intervals(date(2026, 12, 25)) == []
    assert store.exceptions.get().note == "Christmas Day"
    assert store.partner.name == "Manchester"


def test_an_editor_changes_the_hours_and_adds_special_hours(staff):
    store = make_store("Manchester", "MAN-01", MANCHESTER, opening_hours=weekly_hours()[:1])
    monday_hours = store.opening_hours.get()
    form = store_form(
        opening_hours=[row(Weekday.MONDAY, "10:00", "18:00", id=str(monday_hours.pk))],
        exceptions=[exception("2026-11-30", opens="12:00", closes="15:00", note="Stocktake")],
        initial_hours=1,
        code="MAN-01",
        partner=str(store.partner.pk),
    )

    response = staff.post(f"{STORES}edit/{store.pk}/", form)

    assert response.status_code == 302, text(response)[:3000]
    store = Store.objects.get(pk=store.pk)
    assert store.opening_intervals(MONDAY) == [(at(MONDAY, 10), at(MONDAY, 18))]
    next_monday = date(2026, 11, 30)
    assert store.opening_intervals(next_monday) == [(at(next_monday, 12), at(next_monday, 15))]
    assert Partner.objects.count() == 1


def test_the_listing_shows_stores_and_searches_by_city(staff, three_stores):
    listing = text(staff.get(STORES))
    for name, code in [("London", "LON-01"), ("Manchester", "MAN-01"), ("Edinburgh", "EDI-01")]:
        assert name in listing and code in listing

    found = text(staff.get(STORES, {"q": "edinb"}))
    assert "EDI-01" in found and "LON-01" not in found


def test_a_store_is_offered_by_the_snippet_chooser(staff, three_stores):
    response = staff.get("/cms/snippets/choose/omni_stores/store/")

    assert response.status_code == 200
    assert "Edinburgh" in text(response)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"latitude": "91"}, "Ensure this value is less than or equal to 90"),
        ({"longitude": "-181"}, "Ensure this value is greater than or equal to -180"),
        ({"time_zone": "Mars/Olympus"}, "Unknown time zone “Mars/Olympus”"),
        ({"code": "MAN 01"}, "Use letters, digits and single hyphens, such as MAN-01."),
        ({"country": "GBR"}, "Ensure this value has at most 2 characters"),
        ({"email": "not-an-address"}, "Enter a valid email address."),
        (
            {"opening_hours": [row(0, "20:00", "09:00")]},
            "Closing time must be after opening time",
        ),
        (
            {"opening_hours": [row(0, "18:00", "20:00", overnight=True)]},
            "Closing the next day, it must close earlier in the day than it opens.",
        ),
        (
            {"opening_hours": [row(0, "09:00", "13:00"), row(0, "12:00", "17:00")]},
            "These hours overlap other hours on the same day.",
        ),
        (
            {"exceptions": [exception("2026-12-25")]},
            "Give the special hours, or tick “closed all day”.",
        ),
        (
            {"exceptions": [exception("2026-12-25", closed=True, opens="10:00", closes="12:00")]},
            "A date is either closed all day or has special hours, not both.",
        ),
        (
            {
                "exceptions": [
                    exception("2026-12-25", closed=True),
                    exception("2026-12-25", opens="10:00", closes="12:00"),
                ]
            },
            "Another row closes the store all day on this date.",
        ),
    ],
)
def test_bad_input_is_a_form_error_and_saves_nothing(staff, change, message):
    form = store_form(**change)

    response = staff.post(f"{STORES}add/", form)

    assert response.status_code == 200
    assert message in text(response)
    assert not Store.objects.exists()
    assert not Partner.objects.exists()


def test_a_code_already_taken_is_refused(staff):
    make_store("Manchester", "MAN-01", MANCHESTER)

    response = staff.post(f"{STORES}add/", store_form(name="Manchester Arndale", code="man-01"))

    assert response.status_code == 200
    assert "Store with this Code already exists." in text(response)
    assert list(Store.objects.values_list("name", flat=True)) == ["Manchester"]
    assert Partner.objects.count() == 1
