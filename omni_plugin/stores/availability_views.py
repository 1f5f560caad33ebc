"""A product's stock in the stores, as a fragment for its page, and choosing a store.

The product page stays the same for every visitor (and so cacheable at the edge); its
script fetches the fragment, which depends on where the visitor is, the store they chose
and the time.
"""

from django.http import HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from oscar.core.loading import get_model

from .alerts.offer import render_offer
from .availability import product_availability
from .chosen import remember_store
from .models import Store

Product = get_model("catalogue", "Product")

#: How much of an unknown store code a refusal repeats.
SHOWN_CODE_LENGTH = 32


@require_GET
def store_availability(request, product_id):
    """The product's stock at each active store, the visitor's store first, with a button
    to choose another; ``private, max-age=0`` like the locator, for the same reasons."""
    product = get_object_or_404(
        Product.objects.filter(is_public=True)
        .select_related("product_class")
        .prefetch_related("stockrecords"),
        pk=product_id,
    )
    entries = product_availability(request, product, timezone.now())
    first = entries[0] if entries else None
    response = render(
        request,
        "omni/stores/availability.html",
        {
            "product": product,
            "entries": entries,
            "alert_form": render_offer(request, product, first.store)
            if first and not first.in_stock
            else "",
        },
    )
    patch_cache_control(response, private=True, max_age=0)
    return response


def _plain(response_class, message):
    return response_class(message, content_type="text/plain; charset=utf-8")


@require_POST
def choose_store(request):
    """Remember the store of the code in the form field ``store`` as the visitor's store.

    Then go to ``next`` (a page of this site), else the store locator. A code that names
    no active store is refused with a 400 and nothing is recorded.
    """
    code = request.POST.get("store", "").strip().upper()
    if not code:
        return _plain(HttpResponseBadRequest, _("Choose a store: the “store” field is empty."))
    store = Store.objects.filter(code=code, active=True).first()
    if store is None:
        return _plain(
            HttpResponseBadRequest,
            _("“%(code)s” is not one of our stores: choose one from the store list.")
            % {"code": code[:SHOWN_CODE_LENGTH]},
        )
    if remember_store(request, store) is None:
        return _plain(
            HttpResponseForbidden, _("This browser's choice of store cannot be remembered.")
        )
    return redirect(_next_page(request))


def _next_page(request):
    next_page = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_page, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_page
    return reverse("omni:store_locator")
