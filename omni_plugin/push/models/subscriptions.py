from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: Push services address a browser by URL; long tokens (WNS) make them a few hundred characters.
ENDPOINT_MAX_LENGTH = 2048


class PushSubscription(models.Model):
    """One browser's push subscription: where to send, how to encrypt, and to whom it belongs.

    The endpoint is a secret URL of the browser's push service (a capability: whoever knows
    it can push to, or unsubscribe, that browser). ``p256dh`` and ``auth`` are the browser's
    keys, base64url without padding. Where the visitor was, on what device and in which
    language are noted when they subscribed, for campaigns to target.
    """

    class Device(models.TextChoices):
        DESKTOP = "desktop", _("Desktop")
        MOBILE = "mobile", _("Mobile")
        TABLET = "tablet", _("Tablet")

    class DeactivationReason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed by the visitor")
        GONE = "gone", _("Gone from the push service")

    profile = models.ForeignKey(
        "omni_plugin.Profile", on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    #: The profile that subscribed: merges move ``profile`` and an undo moves it back.
    origin_profile = models.ForeignKey(
        "omni_plugin.Profile", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    endpoint = models.URLField(max_length=ENDPOINT_MAX_LENGTH, unique=True)
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=32)
    expiration_time = models.DateTimeField(null=True, blank=True)
    country = models.CharField(max_length=2, blank=True)
    region = models.CharField(max_length=128, blank=True)
    city = models.CharField(max_length=128, blank=True)
    time_zone = models.CharField(max_length=64, blank=True)
    #: Where GeoIP places the city, rounded to 0.01 degree: for campaigns within a radius.
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    device = models.CharField(max_length=8, choices=Device.choices)
    language = models.CharField(max_length=35, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    deactivation_reason = models.CharField(
        max_length=16, choices=DeactivationReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")
        indexes = [models.Index(fields=["active", "country"])]

    def __str__(self):
        return _("Push subscription #%(id)s of profile #%(profile)s") % {
            "id": self.pk,
            "profile": self.profile_id,
        }
