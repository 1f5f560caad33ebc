"""Rules about the visit: device, local time, where it came from and who is visiting."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from omni_plugin.geo.devices import DESKTOP, MOBILE, TABLET

from .base import Rule

WEEKDAYS = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]
CAMPAIGN_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "referrer_host")


class DeviceRule(Rule):
    devices = blocks.MultipleChoiceBlock(
        choices=[(MOBILE, _("Mobile")), (TABLET, _("Tablet")), (DESKTOP, _("Desktop"))]
    )

    class Meta:
        icon = "mobile-alt"
        label = _("Device")

    def params(self, value):
        return {"devices": frozenset(value["devices"])}

    def test(self, params, subject):
        return subject.device in params["devices"]

    def describe(self, params):
        return _("On %(devices)s") % {"devices": " or ".join(sorted(params["devices"]))}


class LocalTimeRule(Rule):
    """Days of the week and hours in the visitor's own time zone."""

    days = blocks.MultipleChoiceBlock(choices=WEEKDAYS, required=False, label=_("On"))
    from_hour = blocks.IntegerBlock(min_value=0, max_value=23, default=0, label=_("From (hour)"))
    to_hour = blocks.IntegerBlock(
        min_value=1,
        max_value=24,
        default=24,
        label=_("Until (hour)"),
        help_text=_("Before this hour; a range past midnight such as 22 to 6 works."),
    )

    class Meta:
        icon = "time"
        label = _("Day and time, local")

    def params(self, value):
        return {
            "days": frozenset(int(day) for day in value.get("days") or ()),
            "from_hour": value["from_hour"],
            "to_hour": value["to_hour"],
        }

    def test(self, params, subject):
        moment = subject.local_time
        if params["days"] and moment.weekday() not in params["days"]:
            return False
        start, end, hour = params["from_hour"], params["to_hour"], moment.hour
        return start <= hour < end if start < end else hour >= start or hour < end

    def describe(self, params):
        names = dict(WEEKDAYS)
        days = ", ".join(str(names[str(day)]) for day in sorted(params["days"]))
        return _("%(days)s %(from_hour)02d:00–%(to_hour)02d:00 local time") % {
            **params,
            "days": days or _("Any day"),
        }


class CampaignRule(Rule):
    """Came from a campaign link (UTM parameters) or another site, this visit or the last."""

    utm_source = blocks.CharBlock(required=False)
    utm_medium = blocks.CharBlock(required=False)
    utm_campaign = blocks.CharBlock(required=False)
    referrer_host = blocks.CharBlock(required=False, help_text=_("e.g. www.instagram.com"))

    class Meta:
        icon = "link"
        label = _("Referrer or UTM campaign")

    def clean(self, value):
        value = super().clean(value)
        if not any(value.get(field) for field in CAMPAIGN_FIELDS):
            raise StructBlockValidationError(
                block_errors={"utm_campaign": ValidationError(_("Fill in at least one field."))}
            )
        return value

    def params(self, value):
        return {
            field: value[field].strip().casefold() for field in CAMPAIGN_FIELDS if value.get(field)
        }

    def test(self, params, subject):
        campaign = subject.campaign
        return all(
            (campaign.get(field) or "").casefold() == wanted for field, wanted in params.items()
        )

    def describe(self, params):
        return _("Came from %(campaign)s") % {
            "campaign": ", ".join(f"{field}={value}" for field, value in params.items())
        }


class VisitorRule(Rule):
    LOGGED_IN, ANONYMOUS, NEW, RETURNING = "logged_in", "anonymous", "new", "returning"
    kind = blocks.ChoiceBlock(
        choices=[
            (LOGGED_IN, _("Logged in")),
            (ANONYMOUS, _("Not logged in")),
            (NEW, _("New visitor")),
            (RETURNING, _("Returning visitor")),
        ]
    )

    class Meta:
        icon = "user"
        label = _("Logged in, new or returning")

    def test(self, params, subject):
        return {
            self.LOGGED_IN: subject.authenticated,
            self.ANONYMOUS: not subject.authenticated,
            self.NEW: not subject.returning,
            self.RETURNING: subject.returning,
        }[params["kind"]]

    def describe(self, params):
        return dict(self.child_blocks["kind"].field.choices)[params["kind"]]


def customer_group_choices():
    return [(name, name) for name in Group.objects.order_by("name").values_list("name", flat=True)]


class CustomerGroupRule(Rule):
    groups = blocks.MultipleChoiceBlock(choices=customer_group_choices)

    class Meta:
        icon = "group"
        label = _("Customer group")

    def params(self, value):
        return {"groups": frozenset(value["groups"])}

    def test(self, params, subject):
        return not params["groups"].isdisjoint(subject.snapshot.get("groups", ()))

    def describe(self, params):
        return _("In group %(groups)s") % {"groups": " or ".join(sorted(params["groups"]))}
