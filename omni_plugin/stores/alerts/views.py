"""Asking for an alert, confirming its address, cancelling it and listing one's alerts.

Refusals answer 400 with the reason as plain text, as choosing a store does, so the
product page's script can show it; nothing is recorded then.
"""

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from oscar.core.loading import get_model

from ..models import Store
from .asking import AlertRefused, alerts_of, ask, cancel, confirm

Product = get_model("catalogue", "Product")


def _refused(error):
    return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")


@require_POST
def ask_for_alert(request, product_id):
    """Make an alert from the form of ``omni/stores/alerts/form.html``: ``channel``, an
    ``email`` for anonymous visitors, and a ``store`` code for an alert at a store."""
    product = get_object_or_404(Product, pk=product_id)
    code = request.POST.get("store", "").strip().upper()
    store = Store.objects.filter(code=code).first() if code else None
    if code and store is None:
        return _refused(_("“%(code)s” is not one of our stores.") % {"code": code[:32]})
    try:
        alert = ask(
            request,
            product,
            channel=request.POST.get("channel", ""),
            store=store,
            email=request.POST.get("email", "").strip(),
        )
    except AlertRefused as error:
        return _refused(error)
    if alert.status == alert.Status.UNCONFIRMED:
        messages.info(
            request,
            _("Check your inbox: we sent a link to %(email)s to confirm the alert.")
            % {"email": alert.email},
        )
    else:
        messages.success(
            request,
            _("We will tell you when %(product)s is back.") % {"product": product.get_title()},
        )
    return redirect(_next_page(request, product.get_absolute_url()))


@require_GET
def my_alerts(request):
    """The visitor's alerts, with a button to cancel each open one."""
    response = render(request, "omni/stores/alerts/list.html", {"alerts": alerts_of(request)})
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_http_methods(["GET", "POST"])
def confirm_alert(request, key):
    """The link of the confirmation email: a button, since mail scanners open links."""
    return _by_link(request, key, confirm, "omni/stores/alerts/confirm.html")


@require_http_methods(["GET", "POST"])
def cancel_alert(request, key):
    return _by_link(request, key, cancel, "omni/stores/alerts/cancel.html")


def _by_link(request, key, action, template):
    if request.method == "GET":
        return render(request, template, {"key": key})
    try:
        alert = action(key)
    except AlertRefused as error:
        return _refused(error)
    return render(request, template, {"key": key, "alert": alert, "done": True})


def _next_page(request, fallback):
    next_page = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_page, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_page
    return fallback
