"""Which profile an Oscar order belongs to, and what its event records."""

from omni_plugin.core import profiles
from omni_plugin.core.models import Event, Identifier, Merge, Profile

from .catalogue import category_ids_of
from .identifiers import IdentifierRefused, normalise
from .identity import account_profile, attach, profile_holding, user_of
from .merging import root_of

Kind = Identifier.Kind


def profile_for_order(order, request=None):
    """The order's customer: its user, else the browser that placed it, joined by email.

    A guest who checks out with the email of a registered customer does not get that
    customer's profile on their browser: the order is recorded on the account's profile,
    and the browser stays a profile of its own.
    """
    recorded = (
        Event.objects.filter(kind="order_placed", order_number=order.number)
        .values_list("profile_id", flat=True)
        .first()
    )
    if recorded:
        return root_of(recorded)
    omni = getattr(request, "omni", None)
    browser = omni if omni is not None and omni.trackable else None
    profile_id = account_profile(order.user_id) if order.user_id else None
    if profile_id is None and browser is not None:
        profile_id = browser.ensure_profile().id
    if order.email:
        profile_id = join_email(profile_id, order.email)
    if browser is not None:
        browser.use_profile(profiles.profile_for_visitor(browser.visitor_id))
    return profile_id


def order_event_fields(order):
    lines = [
        {
            "product_id": line.product_id,
            "quantity": line.quantity,
            "price": line.line_price_incl_tax,
            "category_ids": category_ids_of(line.product_id) if line.product_id else [],
        }
        for line in order.lines.all()
    ]
    return {
        "order_number": order.number,
        "value": order.total_incl_tax,
        "occurred_at": order.date_placed,
        "data": {"lines": lines, "currency": order.currency, "status": order.status},
    }


def join_email(profile_id, raw_email):
    """The profile an order (or an alert) with this email belongs to: ``profile_id`` joined
    with the address, the account that holds it, or a profile made for it."""
    try:
        email = normalise(Kind.EMAIL, raw_email)
    except IdentifierRefused:
        return profile_id or Profile.objects.create().pk
    holder = profile_holding(Kind.EMAIL, email)
    if profile_id is None:
        return holder or _new_profile_with(email)
    if holder and holder != profile_id and user_of(holder) and not user_of(profile_id):
        return holder
    try:
        return attach(profile_id, Kind.EMAIL, email, reason=Merge.Reason.CHECKOUT)
    except IdentifierRefused:
        return profile_id  # the profile holds as many emails as it may


def _new_profile_with(email):
    profile_id = Profile.objects.create().pk
    attach(profile_id, Kind.EMAIL, email, reason=Merge.Reason.CHECKOUT)
    return profile_id
