"""Hand-made catalogues and histories for the recommendation tests."""

import itertools
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import CategoryFactory, create_product

from omni_plugin.core.catalogue import category_ids_of
from omni_plugin.core.events import ingest, new_event
from omni_plugin.core.models import Profile
from omni_plugin.personalization.recs.build import build_and_store

Product = get_model("catalogue", "Product")

_order_numbers = itertools.count(1)
#: One moment for every hand-made event, so that equal histories weigh exactly the same.
NOW = timezone.now()


def category(name):
    return CategoryFactory(name=name)


def item(title, in_category, *, stock=10):
    made = create_product(title=title, price="10.00", num_in_stock=stock)
    made.categories.add(in_category)
    return made


def customer(country="", region=""):
    geo = {"country": country, "region": region, "city": "", "time_zone": ""}
    return Profile.objects.create(snapshot={"geo": geo} if country else {})


def ago(days):
    return NOW - timedelta(days=days)


def viewed(profile, *products, days_ago=1):
    ingest(
        {
            profile.pk: [
                new_event("product_viewed", product=product, occurred_at=ago(days_ago))
                for product in products
            ]
        }
    )


def ordered(profile, *products, days_ago=1, channel="web"):
    lines = [
        {
            "product_id": product.pk,
            "quantity": 1,
            "price": "10.00",
            "category_ids": category_ids_of(product),
        }
        for product in products
    ]
    ingest(
        {
            profile.pk: [
                new_event(
                    "order_placed",
                    occurred_at=ago(days_ago),
                    channel=channel,
                    order_number=f"T-{next(_order_numbers)}",
                    value=Decimal("10.00") * len(lines),
                    data={"lines": lines, "currency": "GBP", "status": "Pending"},
                )
            ]
        }
    )


def fresh(profile):
    return Profile.objects.get(pk=profile.pk)


def build():
    return build_and_store()


def titles(recommendations):
    return [recommendation.product.title for recommendation in recommendations]


def explained(recommendations):
    return [
        (recommendation.product.title, recommendation.reason, recommendation.strategy)
        for recommendation in recommendations
    ]
