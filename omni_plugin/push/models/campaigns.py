from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import PreviewableMixin

from .urgency import Urgency

#: Push services keep an undelivered message at most this long (FCM: 4 weeks).
MAX_TTL = 28 * 24 * 60 * 60
#: RFC 8030: a topic is at most 32 characters of the base64url alphabet.
TOPIC_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9_-]{1,32}$",
    _("At most 32 letters, digits, '-' or '_', as push services require."),
)
HOUR_VALIDATORS = [MinValueValidator(0), MaxValueValidator(23)]


class Campaign(PreviewableMixin, models.Model):
    """A notification written by an editor and sent to the subscriptions it targets.

    Targeting narrows the audience (segments, places, radius); the schedule, local-time
    delivery and quiet hours decide when each subscription gets it; the frequency cap skips
    subscriptions that had enough pushes lately.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    name = models.CharField(
        _("name"), max_length=120, help_text=_("For editors only: visitors never see it.")
    )
    title = models.CharField(_("title"), max_length=80)
    body = models.TextField(_("body"), max_length=300)
    icon = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("icon"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A square image; the shop's icon when empty."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A large picture under the text, where the browser shows one."),
    )
    url = models.CharField(
        _("target URL"),
        max_length=500,
        help_text=_("Where a click leads: a path on the shop (/offers/) or an https:// URL."),
    )

    include_segments = models.ManyToManyField(
        "omni_personalization.Segment",
        verbose_name=_("segments to include"),
        blank=True,
        related_name="+",
        help_text=_("Only visitors in one of these segments; everyone when empty."),
    )
    exclude_segments = models.ManyToManyField(
        "omni_personalization.Segment",
        verbose_name=_("segments to exclude"),
        blank=True,
        related_name="+",
    )
    countries = models.CharField(
        _("countries"), max_length=500, blank=True, help_text=_("ISO codes: FR, DE")
    )
    regions = models.CharField(_("regions"), max_length=500, blank=True)
    cities = models.CharField(_("cities"), max_length=500, blank=True)
    near_store = models.ForeignKey(
        "omni_stores.Store",
        verbose_name=_("store"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Visitors within the radius of this store; or give a point instead."),
    )
    near_latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    near_longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    near_radius_km = models.FloatField(
        _("radius (km)"), null=True, blank=True, validators=[MinValueValidator(0.1)]
    )

    send_at = models.DateTimeField(
        _("send at"), null=True, blank=True, help_text=_("Empty: as soon as it is sent.")
    )
    local_time_delivery = models.BooleanField(
        _("deliver in the recipient's local time"),
        default=False,
        help_text=_("Each recipient gets it at the send time's clock time in their own time zone."),
    )
    quiet_hours_start = models.PositiveSmallIntegerField(
        _("quiet hours from"), null=True, blank=True, default=21, validators=HOUR_VALIDATORS
    )
    quiet_hours_end = models.PositiveSmallIntegerField(
        _("quiet hours until"), null=True, blank=True, default=9, validators=HOUR_VALIDATORS
    )
    cap_count = models.PositiveSmallIntegerField(
        _("at most this many pushes"),
        null=True,
        blank=True,
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("Per subscription, counting every campaign; empty for no cap."),
    )
    cap_days = models.PositiveSmallIntegerField(
        _("in this many days"), default=7, validators=[MinValueValidator(1)]
    )
    ttl = models.PositiveIntegerField(
        _("time to live (seconds)"),
        default=24 * 60 * 60,
        validators=[MaxValueValidator(MAX_TTL)],
        help_text=_("How long the push service keeps it for a browser that is offline."),
    )
    urgency = models.CharField(
        _("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL
    )
    topic = models.CharField(
        _("topic"),
        max_length=32,
        blank=True,
        validators=[TOPIC_VALIDATOR],
        help_text=_("A newer push with the same topic replaces one not yet delivered."),
    )

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    #: When every delivery was written: until then, the campaign is not finished.
    fanned_out_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("push campaign")
        verbose_name_plural = _("push campaigns")
        ordering = ["-created_at"]
        permissions = [("send_campaign", _("Can send push campaigns"))]

    def __str__(self):
        return self.name

    def clean(self):
        from ..validation import validate_campaign

        validate_campaign(self)

    def get_preview_template(self, request, mode_name):
        return "omni/push/admin/preview.html"

    def get_preview_context(self, request, mode_name):
        from ..payloads import campaign_message

        return {
            **super().get_preview_context(request, mode_name),
            "message": campaign_message(self),
            "host": request.get_host(),
        }

    @property
    def editable(self):
        return self.status == self.Status.DRAFT

    @property
    def near_centre(self):
        """The ``(latitude, longitude)`` the radius is drawn around, or None."""
        if self.near_store_id:
            return self.near_store.coordinates
        if self.near_latitude is None or self.near_longitude is None:
            return None
        return self.near_latitude, self.near_longitude
