"""Rules about how a customer may be reached: push subscriptions and consents."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from omni_plugin.core.models import Consent

from .base import Rule


class PushSubscriberRule(Rule):
    subscribed = blocks.BooleanBlock(
        required=False, default=True, label=_("Subscribed (untick for: not subscribed)")
    )

    class Meta:
        icon = "mail"
        label = _("Push subscriber")

    def test(self, params, subject):
        return (subject.snapshot.get("push_subscriptions", 0) > 0) == params["subscribed"]

    def describe(self, params):
        return (
            _("Subscribed to web push") if params["subscribed"] else _("Not subscribed to web push")
        )


class ConsentRule(Rule):
    purpose = blocks.ChoiceBlock(choices=Consent.Purpose.choices)

    class Meta:
        icon = "lock"
        label = _("Has consented")

    def test(self, params, subject):
        decision = (subject.snapshot.get("consents") or {}).get(params["purpose"], {})
        return decision.get("status") == Consent.Status.GRANTED

    def describe(self, params):
        return _("Consented to %(purpose)s") % {
            "purpose": Consent.Purpose(params["purpose"]).label.lower()
        }
