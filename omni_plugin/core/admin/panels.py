"""The sections of a customer profile's page, each a Wagtail component.

Another app adds a section with the ``construct_omni_profile_panels`` hook, called as
``fn(request, profile, panels)`` the way Wagtail's ``construct_homepage_panels`` is; a
panel's ``order`` places it among these (identifiers 100, consents 200, ... messages 850,
timeline 900).
"""

import json
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.components import Component

from omni_plugin.core import snapshot as snapshots
from omni_plugin.core.models import Event, Identifier

from . import dashboard
from .consents import current_consents

Kind = Identifier.Kind

TOP_CATEGORIES = 10
TIMELINE_PAGE_SIZE = 25


class ProfilePanel(Component):
    """A headed section about one profile; subclasses give the data their template shows."""

    name = ""
    heading = ""
    order = 0

    def __init__(self, profile):
        self.profile = profile

    def get_context_data(self, parent_context):
        return {
            "panel": self,
            "profile": self.profile,
            "request": parent_context.get("request"),
            **self.get_panel_data(),
        }

    def get_panel_data(self):
        return {}


class IdentifiersPanel(ProfilePanel):
    name = "identifiers"
    heading = _("Identifiers")
    order = 100
    template_name = "omni/core/admin/panels/identifiers.html"

    def get_panel_data(self):
        identifiers = list(self.profile.identifiers.order_by("created_at", "id"))
        kinds = list(Kind.values)
        shown = sorted(
            (i for i in identifiers if i.kind != Kind.VISITOR), key=lambda i: kinds.index(i.kind)
        )
        return {
            "identifiers": [
                {"identifier": identifier, "url": self._dashboard_url(identifier)}
                for identifier in shown
            ],
            # Visitor ids are random browser cookies: how many there are says more than they do.
            "browsers": sum(1 for i in identifiers if i.kind == Kind.VISITOR),
        }

    @staticmethod
    def _dashboard_url(identifier):
        return dashboard.user_url(identifier.value) if identifier.kind == Kind.USER else None


class ConsentsPanel(ProfilePanel):
    name = "consents"
    heading = _("Consents")
    order = 200
    template_name = "omni/core/admin/panels/consents.html"

    def get_panel_data(self):
        return {"consents": current_consents(self.profile.consents.all())}


class AffinitiesPanel(ProfilePanel):
    name = "affinities"
    heading = _("Category interest")
    order = 300
    template_name = "omni/core/admin/panels/affinities.html"

    def get_panel_data(self):
        affinities = snapshots.decayed_affinities(self.profile.snapshot)
        scores = list(affinities.items())[:TOP_CATEGORIES]
        categories = dashboard.categories_by_id(dict(scores))
        return {
            "affinities": [
                {"id": category_id, "category": categories.get(category_id), "score": score}
                for category_id, score in scores
            ]
        }


class OrdersPanel(ProfilePanel):
    name = "orders"
    heading = _("Orders and RFM scores")
    order = 400
    template_name = "omni/core/admin/panels/orders.html"

    def get_panel_data(self):
        orders = self.profile.snapshot.get("orders")
        if not orders:
            return {"orders": None}
        return {
            "orders": {**orders, "last_at": datetime.fromisoformat(orders["last_at"])},
            "rfm": snapshots.rfm(self.profile.snapshot),
        }


class BasketPanel(ProfilePanel):
    name = "basket"
    heading = _("Basket")
    order = 500
    template_name = "omni/core/admin/panels/basket.html"

    def get_panel_data(self):
        basket = self.profile.snapshot.get("basket")
        if not basket or not basket.get("lines"):
            return {"basket": None}
        return {"basket": {**basket, "updated_at": datetime.fromisoformat(basket["updated_at"])}}


class RecentProductsPanel(ProfilePanel):
    name = "recent-products"
    heading = _("Recently viewed products")
    order = 600
    template_name = "omni/core/admin/panels/recent_products.html"

    def get_panel_data(self):
        product_ids = self.profile.snapshot.get("recent_products", [])
        products = dashboard.products_by_id(product_ids)
        return {
            "products": [
                {
                    "id": product_id,
                    "product": products.get(product_id),
                    "url": dashboard.product_url(product_id) if product_id in products else None,
                }
                for product_id in product_ids
            ]
        }


class MergesPanel(ProfilePanel):
    """Merges into and out of the profile; ``undo_url_name`` is None for staff who may not undo."""

    name = "merges"
    heading = _("Merges")
    order = 700
    template_name = "omni/core/admin/panels/merges.html"

    def __init__(self, profile, *, inspect_url_name, undo_url_name):
        super().__init__(profile)
        self.inspect_url_name = inspect_url_name
        self.undo_url_name = undo_url_name

    def get_panel_data(self):
        merges = [
            *((merge, merge.merged_id, "in") for merge in self.profile.merges_in.all()),
            *((merge, merge.survivor_id, "out") for merge in self.profile.merges_out.all()),
        ]
        merges.sort(key=lambda row: (row[0].created_at, row[0].pk), reverse=True)
        return {
            "merges": [
                {
                    "merge": merge,
                    "direction": direction,
                    "other_id": other_id,
                    "other_url": reverse(self.inspect_url_name, args=[other_id]),
                    "undo_url": self._undo_url(merge),
                }
                for merge, other_id, direction in merges
            ]
        }

    def _undo_url(self, merge):
        if self.undo_url_name and not merge.undone_at:
            return reverse(self.undo_url_name, args=[merge.pk])
        return None


class TimelinePanel(ProfilePanel):
    """The profile's own events, newest first, a page at a time."""

    name = "timeline"
    heading = _("Timeline")
    order = 900
    template_name = "omni/core/admin/panels/timeline.html"

    def __init__(self, profile, *, page_number):
        super().__init__(profile)
        self.page_number = page_number

    def get_panel_data(self):
        events = Event.objects.filter(profile=self.profile).order_by("-occurred_at", "-id")
        paginator = WagtailPaginator(events, TIMELINE_PAGE_SIZE)
        page = paginator.get_page(self.page_number)
        products = dashboard.products_by_id(e.product_id for e in page if e.product_id)
        return {
            "page": page,
            "elided_page_range": paginator.get_elided_page_range(page.number),
            "rows": [self._row(event, products) for event in page],
        }

    @staticmethod
    def _row(event, products):
        product = products.get(event.product_id)
        return {
            "event": event,
            "kind": capfirst(event.kind.replace("_", " ")),
            "product": product,
            "product_url": dashboard.product_url(product.pk) if product else None,
            "order_url": dashboard.order_url(event.order_number) if event.order_number else None,
            "data": _as_json(event.data) if event.data else "",
        }


def moment(value):
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _as_json(data):
    return json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)
