"""A visitor asks to be told: the checks, the channels they have, and the double opt-in of
an anonymous visitor's email address.

Every refusal is an ``AlertRefused`` whose message says why, in a sentence for the
visitor, and nothing is recorded.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omni_plugin.core.events import record
from omni_plugin.core.identifiers import IdentifierRefused, normalise
from omni_plugin.core.identity import attach, profile_holding
from omni_plugin.core.merging import root_of
from omni_plugin.core.models import Identifier, Merge
from omni_plugin.messaging.channels import installed_channels

from ..models import StockAlert
from .confirmation import send_confirmation
from .oscar_alerts import taken_over
from .stock import is_available

Channel, Status = StockAlert.Channel, StockAlert.Status


class AlertRefused(ValueError):
    """The alert cannot be made, confirmed or cancelled; the message says why."""


def channels_for(request):
    """The channels this visitor can be told by, in the order they are offered."""
    channels = []
    profile = _profile(request)
    if profile is not None and _has_push(profile):
        channels.append(Channel.PUSH)
    channels.append(Channel.EMAIL)
    if request.user.is_authenticated:
        channels.append(Channel.ONSITE)
    return channels


def ask(request, product, *, channel, store=None, email=""):
    """Make the visitor's back-in-stock alert on ``product``, online or at ``store``."""
    omni = getattr(request, "omni", None)
    if omni is None or not omni.trackable:
        raise AlertRefused(_("This browser cannot be told when a product is back."))
    if not product.is_public:
        raise AlertRefused(_("This product is not in the catalogue."))
    if store is None and not taken_over():
        raise AlertRefused(_("Use the shop's own form to be told when it is back online."))
    if store is not None and not store.active:
        raise AlertRefused(_("%(store)s is closed for good.") % {"store": store.name})
    if is_available(product, store):
        raise AlertRefused(
            _("%(product)s is in stock %(where)s: no need to wait for it.")
            % {"product": product.get_title(), "where": _where(store)}
        )
    if channel not in channels_for(request):
        raise AlertRefused(
            _("You cannot be told by %(channel)s: choose one of the channels offered.")
            % {"channel": Channel(channel).label if channel in Channel.values else channel}
        )
    address = _address(request, channel, email)
    confirmed = channel != Channel.EMAIL or request.user.is_authenticated
    profile_id = omni.ensure_profile().id
    try:
        with transaction.atomic():
            alert = StockAlert.objects.create(
                profile_id=profile_id,
                origin_profile_id=profile_id,
                product=product,
                store=store,
                channel=channel,
                email="" if confirmed else address,
                status=Status.ACTIVE if confirmed else Status.UNCONFIRMED,
                confirmed_at=timezone.now() if confirmed else None,
            )
    except IntegrityError:
        raise AlertRefused(
            _("You will be told already when %(product)s is back %(where)s.")
            % {"product": product.get_title(), "where": _where(store)}
        ) from None
    record(
        "stock_alert_asked",
        request=request,
        product=product,
        data={"alert": alert.pk, "store": store.code if store else "", "channel": channel},
    )
    if not confirmed:
        transaction.on_commit(lambda: send_confirmation(alert))
    return alert


def confirm(key):
    """Confirm the address of an anonymous email alert: it starts waiting. The address
    joins the visitor's profile, unless another profile holds it: the alert moves there."""
    with transaction.atomic():
        alert = _by_key(key, for_update=True)
        if alert.status != Status.UNCONFIRMED:
            if alert.status == Status.ACTIVE:
                return alert  # a second click on the link
            raise AlertRefused(_("This alert was closed: it cannot be confirmed any more."))
        profile_id = _holder_of(alert)
        moved = StockAlert.objects.filter(pk=alert.pk)
        duplicate = (
            StockAlert.objects.filter(
                profile_id=profile_id,
                product_id=alert.product_id,
                store_id=alert.store_id,
                kind=alert.kind,
                status__in=StockAlert.OPEN,
            )
            .exclude(pk=alert.pk)
            .exists()
        )
        if duplicate:
            moved.update(status=Status.CANCELLED, closed_at=timezone.now())
            raise AlertRefused(_("This address will be told already when it is back."))
        moved.update(
            profile_id=profile_id,
            status=Status.ACTIVE,
            confirmed_at=timezone.now(),
            email="",
        )
        alert.refresh_from_db()
    return alert


def cancel(key):
    """Cancel an open alert by the key in its links; cancelling twice is no error."""
    with transaction.atomic():
        alert = _by_key(key, for_update=True)
        if alert.is_open:
            alert.status, alert.closed_at = Status.CANCELLED, timezone.now()
            alert.save(update_fields=["status", "closed_at"])
        elif alert.status == Status.SENT:
            raise AlertRefused(_("This alert has fired already: there is nothing to cancel."))
    return alert


def alerts_of(request):
    """The visitor's alerts, open ones first, newest first."""
    profile = _profile(request)
    if profile is None:
        return StockAlert.objects.none()
    return (
        StockAlert.objects.filter(profile_id=profile.id)
        .select_related("product", "store")
        .order_by("-status", "-created_at")
    )


def _profile(request):
    omni = getattr(request, "omni", None)
    return omni.profile if omni is not None else None


def _has_push(profile):
    push = installed_channels().get("push")
    return push is not None and push.reaches(profile, profile.snapshot)


def _address(request, channel, email):
    if channel != Channel.EMAIL:
        return ""
    if request.user.is_authenticated:
        if not request.user.email:
            raise AlertRefused(_("Your account has no email address to write to."))
        return request.user.email
    try:
        validate_email(email)
        return normalise(Identifier.Kind.EMAIL, email)
    except (ValidationError, IdentifierRefused):
        raise AlertRefused(_("Enter a valid email address to be told by email.")) from None


def _where(store):
    return _("at %(store)s") % {"store": store.name} if store else _("online")


def _by_key(key, for_update=False):
    alerts = StockAlert.objects.select_related("product", "store")
    if for_update:
        alerts = alerts.select_for_update(of=("self",))
    alert = alerts.filter(key=key).first() if isinstance(key, str) and key else None
    if alert is None:
        raise AlertRefused(_("This link is not one of ours, or its alert was deleted."))
    return alert


def _holder_of(alert):
    """The profile the confirmed address belongs to."""
    holder = profile_holding(Identifier.Kind.EMAIL, alert.email)
    if holder is not None:
        return root_of(holder)
    try:
        return attach(
            root_of(alert.profile_id),
            Identifier.Kind.EMAIL,
            alert.email,
            reason=Merge.Reason.CHECKOUT,
        )
    except IdentifierRefused:
        return root_of(alert.profile_id)
