from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    """One thing the shop had to say to a customer, and what became of it.

    Every outgoing message has one, whether it was sent, deferred to the morning or
    skipped, so the profile's log says why. A message with a ``key`` (what it is about:
    ``basket:41``, ``product:7``) exists once per profile and intent unless skipped, which
    is how the same thing is never said twice. ``attempts`` lists each channel tried, in
    order, with what became of it.
    """

    class Status(models.TextChoices):
        DEFERRED = "deferred", _("Deferred")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped")
        FAILED = "failed", _("Failed")

    class Reason(models.TextChoices):
        NO_CONSENT = "no_consent", _("No consent")
        UNREACHABLE = "unreachable", _("No channel reaches the customer")
        CAPPED = "capped", _("Frequency cap reached")
        QUIET_HOURS = "quiet_hours", _("Quiet hours")
        DUPLICATE = "duplicate", _("Already sent")
        EXPIRED = "expired", _("No longer relevant")
        CHANNELS_FAILED = "channels_failed", _("Every channel failed")

    profile = models.ForeignKey(
        "omni_plugin.Profile", on_delete=models.CASCADE, related_name="messages"
    )
    origin_profile = models.ForeignKey(
        "omni_plugin.Profile", on_delete=models.CASCADE, related_name="+", editable=False
    )
    intent = models.CharField(max_length=40)
    key = models.CharField(max_length=100, blank=True)
    content = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    channels = models.JSONField(
        default=list, help_text=_("The channels it may go by, in the order they are tried.")
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    reason = models.CharField(max_length=16, choices=Reason.choices, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    channel = models.CharField(
        max_length=8, blank=True, help_text=_("The channel that carries, or carried, it.")
    )
    attempts = models.JSONField(default=list, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    due_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(help_text=_("After this, it is no longer worth sending."))
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "omni_plugin"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "intent", "key"],
                condition=~Q(key="") & ~Q(status="skipped"),
                name="omni_message_once_per_key",
            )
        ]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["profile", "sent_at"]),
        ]

    def __str__(self):
        return f"{self.intent} for profile #{self.profile_id}: {self.get_status_display()}"
