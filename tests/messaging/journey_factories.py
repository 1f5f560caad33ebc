"""Journeys, and what customers do that starts or stops them, in tests."""

from decimal import Decimal

from omni_plugin.core.events import record
from omni_plugin.messaging.models import Journey, JourneyStep


def make_journey(trigger, *steps, live=True, **fields):
    """A journey with ``steps``: (delay, unit, channel, title, body) each."""
    journey = Journey.objects.create(
        name=fields.pop("name", f"{trigger} journey"), trigger=trigger, live=live, **fields
    )
    for order, (delay, unit, channel, title, body) in enumerate(steps):
        JourneyStep.objects.create(
            journey=journey,
            sort_order=order,
            delay=delay,
            delay_unit=unit,
            channel=channel,
            title=title,
            body=body,
        )
    return journey


def add_to_basket(profile, product, price="12.50"):
    record(
        "basket_addition",
        profile=profile.pk,
        product=product,
        value=Decimal(price),
        data={"lines": 1, "products": [product.pk]},
    )


def empty_basket(profile, product):
    record(
        "basket_line_removed",
        profile=profile.pk,
        product=product,
        value=Decimal("0.00"),
        data={"lines": 0, "products": [], "quantity": 1},
    )


def place_order(profile, number, product=None, price="12.50"):
    lines = [{"product_id": product.pk, "quantity": 1, "price": price}] if product else []
    record(
        "order_placed",
        profile=profile.pk,
        order_number=number,
        value=Decimal(price),
        data={"lines": lines, "currency": "GBP", "status": "Pending"},
    )


def view(profile, product, times=1):
    for _ in range(times):
        record("product_viewed", profile=profile.pk, product=product)


def change_status(profile, number, old, new):
    record(
        "order_status_changed",
        profile=profile.pk,
        order_number=number,
        data={"old_status": old, "new_status": new},
    )
