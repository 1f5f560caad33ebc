"""The demo's journeys: basket left, browse left, price drop, win-back and pickup, live."""

from django.conf import settings

from omni_plugin.messaging.models import Journey, JourneyStep

from .summary import counted, summarise

#: The order status the click-and-collect journey waits for, when the shop's pipeline has it.
READY_FOR_COLLECTION = "Ready for collection"


def _journeys():
    collectable = READY_FOR_COLLECTION in getattr(settings, "OSCAR_ORDER_STATUS_PIPELINE", {})
    return [
        (
            {"name": "Basket left", "trigger": "basket_left"},
            [
                (
                    1,
                    "hours",
                    "push",
                    "Still thinking it over?",
                    "Your {product} is in your basket.",
                ),
                (
                    24,
                    "hours",
                    "email",
                    "Your basket is waiting",
                    "You left {count} item(s) worth {total} in your basket. It is kept for you.",
                ),
            ],
        ),
        (
            {"name": "Browse left", "trigger": "browse_left", "min_views": 3},
            [
                (
                    3,
                    "hours",
                    "",
                    "Still looking at {product}?",
                    "You have looked at it {count} times. It is {price} today.",
                )
            ],
        ),
        (
            {"name": "Price drop", "trigger": "price_drop", "min_drop_percent": 10},
            [
                (
                    0,
                    "minutes",
                    "",
                    "{product} is now {price}",
                    "It was {old_price}: {percent} off, while stocks last.",
                )
            ],
        ),
        (
            {"name": "Win-back", "trigger": "win_back", "inactive_days": 60},
            [
                (
                    0,
                    "minutes",
                    "email",
                    "We have missed you",
                    "There is a lot new in {category} since your last visit.",
                )
            ],
        ),
        (
            {
                "name": "Ready for pickup",
                "trigger": "pickup_ready",
                "order_status": READY_FOR_COLLECTION if collectable else "",
                "live": collectable,
            },
            [
                (0, "minutes", "", "Order {order} is ready", "Collect it at {store}."),
                (24, "hours", "", "Order {order} is waiting", "It is kept for you at {store}."),
            ],
        ),
    ]


def create_journeys():
    created = 0
    for fields, steps in _journeys():
        if Journey.objects.filter(name=fields["name"]).exists():
            continue
        journey = Journey.objects.create(**{"live": True, **fields})
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
        created += 1
    return summarise(
        [counted(created, "journey")], existing=counted(Journey.objects.count(), "journey")
    )
