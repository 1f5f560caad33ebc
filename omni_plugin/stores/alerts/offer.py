"""The alert form a visitor is offered on a product page, or the note that they will be
told already: for the web shop's stock under the basket form, for their store in the
product's store availability."""

from django.template.loader import render_to_string

from ..models import StockAlert
from .asking import channels_for
from .oscar_alerts import taken_over
from .stock import is_available


def online_alert(request, product):
    """The form for an alert on the web shop's stock, when the plugin takes over Oscar's
    and the product cannot be bought; "" otherwise, for Oscar's own form to show."""
    if not taken_over() or is_available(product):
        return ""
    return render_offer(request, product)


def render_offer(request, product, store=None):
    omni = getattr(request, "omni", None)
    if omni is None or not omni.trackable:
        return ""
    profile = omni.profile
    waiting = (
        profile is not None
        and StockAlert.objects.filter(
            profile_id=profile.id,
            product=product,
            store=store,
            kind=StockAlert.Kind.BACK_IN_STOCK,
            status__in=StockAlert.OPEN,
        ).exists()
    )
    if waiting:
        return render_to_string("omni/stores/alerts/waiting.html", {"store": store})
    channels = channels_for(request)
    return render_to_string(
        "omni/stores/alerts/form.html",
        {
            "product": product,
            "store": store,
            "channels": [(channel, StockAlert.Channel(channel).label) for channel in channels],
            "ask_for_email": not request.user.is_authenticated,
            "next": product.get_absolute_url(),
        },
        request=request,
    )
