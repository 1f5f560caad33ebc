"""The profile snapshot: folding events one by one equals rebuilding from the history."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from omni_plugin.core import snapshot
from omni_plugin.core.events import new_event

# Folding an event also keeps the evidence of the segments' history rules, read from the
# segment definitions.
pytestmark = pytest.mark.django_db

NOW = timezone.now()


def event(kind, days_ago=0, **fields):
    return new_event(kind, occurred_at=NOW - timedelta(days=days_ago), **fields)


HISTORY = [
    event("product_viewed", 40, product=1, categories=[10]),
    event(
        "basket_addition", 39, product=2, categories=[20], value=Decimal("15.00"), data={"lines": 1}
    ),
    event(
        "order_placed",
        38,
        value=Decimal("15.00"),
        order_number="1",
        data={"lines": [{"product_id": 2, "quantity": 1, "category_ids": [20]}]},
    ),
    event(
        "consent_recorded", 20, data={"purpose": "email", "status": "granted", "source": "checkout"}
    ),
    event(
        "basket_addition", 2, product=4, categories=[20], value=Decimal("30.00"), data={"lines": 1}
    ),
    event("product_viewed", 1, product=3, categories=[10]),
    event(
        "order_placed",
        1,
        value=Decimal("120.00"),
        order_number="2",
        channel="store",
        data={"lines": [{"product_id": 3, "quantity": 2, "category_ids": [10]}]},
    ),
]


def test_applying_events_one_by_one_equals_rebuilding_them_in_any_order():
    folded = {}
    for item in HISTORY:
        snapshot.apply(folded, item)
    assert snapshot.rebuild(reversed(HISTORY)) == folded


def test_the_snapshot_summarises_the_history():
    summary = snapshot.rebuild(HISTORY)
    assert summary["recent_products"] == [3, 4, 2, 1]
    assert summary["orders"] == {
        "count": 2,
        "total": "135.00",
        "store_count": 1,
        "last_at": HISTORY[-1].occurred_at.isoformat(),
    }
    assert summary["basket"]["value"] == "30.00"  # the store order leaves the web basket alone
    assert summary["consents"]["email"]["status"] == "granted"


def test_interest_decays_with_its_half_life(settings):
    settings.OMNI_AFFINITY_HALF_LIFE_DAYS = 30
    summary = snapshot.rebuild([event("product_viewed", 30, categories=[10])])
    affinities = snapshot.decayed_affinities(summary, now=NOW)
    assert affinities[10] == pytest.approx(0.5, rel=1e-3)


def test_recent_interest_outranks_old_interest():
    summary = snapshot.rebuild(HISTORY)
    assert list(snapshot.decayed_affinities(summary, now=NOW)) == [10, 20]


def test_rfm_scores_recency_frequency_and_money(settings):
    summary = snapshot.rebuild(HISTORY)
    assert snapshot.rfm(summary, now=NOW) == {"r": 5, "f": 3, "m": 2, "bucket": "532"}
    assert snapshot.rfm(summary, now=NOW + timedelta(days=400))["r"] == 1
    assert snapshot.rfm({}, now=NOW) is None


def test_the_latest_consent_decision_wins_whatever_the_order_of_arrival():
    granted = event(
        "consent_recorded", 2, data={"purpose": "push", "status": "granted", "source": "prompt"}
    )
    withdrawn = event(
        "consent_recorded", 1, data={"purpose": "push", "status": "withdrawn", "source": "account"}
    )
    folded = {}
    snapshot.apply(folded, withdrawn)
    snapshot.apply(folded, granted)
    assert folded["consents"]["push"]["status"] == "withdrawn"


def test_anonymised_events_fold_without_error():
    assert snapshot.rebuild([event("consent_recorded", 1, data={})])["events"] == 1


def test_the_latest_channel_choice_wins_whatever_the_order_of_arrival():
    earlier = event("channel_preferred", 2, data={"channel": "sms", "source": "till"})
    later = event("channel_preferred", 1, data={"channel": "email", "source": "account"})
    folded = {}
    snapshot.apply(folded, later)
    snapshot.apply(folded, earlier)
    assert folded["preferred_channel"] == "email"
    assert snapshot.rebuild([earlier, later])["preferred_channel"] == "email"


def test_bounced_addresses_are_listed_once_in_lower_case():
    summary = snapshot.rebuild(
        [
            event("email_bounced", 3, data={"address": "Zoe@Example.com"}),
            event("email_bounced", 2, data={"address": "ann@example.com"}),
            event("email_bounced", 1, data={"address": "zoe@example.com"}),
        ]
    )
    assert summary["bounced_emails"] == ["ann@example.com", "zoe@example.com"]


def test_what_the_shop_sends_is_counted_but_is_not_the_customers_activity():
    viewed = event("product_viewed", 30, product=1, categories=[10])
    shop_events = [
        event("message_sent", 1, data={"intent": "win_back", "message": 1}),
        event("message_skipped", 50, data={"intent": "campaign", "reason": "capped"}),
        event("email_bounced", 1, data={"address": "ann@example.com"}),
    ]

    summary = snapshot.rebuild([viewed, *shop_events])

    assert summary["events"] == 4
    assert summary["first_seen"] == summary["last_seen"] == viewed.occurred_at.isoformat()


def test_anonymised_preferences_and_bounces_fold_without_error():
    summary = snapshot.rebuild([event("channel_preferred", 1), event("email_bounced", 1)])
    assert summary["events"] == 2
    assert "preferred_channel" not in summary and "bounced_emails" not in summary
