from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Delivery(models.Model):
    """One push to one subscription: of a campaign, or a triggered message.

    There is exactly one per (campaign, subscription), and one per (key, subscription) for
    triggered messages given a key, so sending again after a crash resumes instead of
    pushing twice. A worker claims a batch by writing its ``claim``; a claim older than
    the lease is taken over, which is how a crashed worker's batch is finished.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        EXPIRED = "expired", _("Expired subscription")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    campaign = models.ForeignKey(
        "omni_push.Campaign",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    subscription = models.ForeignKey(
        "omni_push.PushSubscription", on_delete=models.CASCADE, related_name="deliveries"
    )
    #: Triggered messages: what they are about (``back_in_stock:42``), and their content.
    key = models.CharField(max_length=100, blank=True)
    message = models.JSONField(null=True, blank=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(max_length=200, blank=True)
    due_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    claim = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    shown_at = models.DateTimeField(null=True, blank=True)
    clicked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("push delivery")
        verbose_name_plural = _("push deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "subscription"],
                condition=Q(campaign__isnull=False),
                name="omni_push_delivery_once_per_campaign",
            ),
            models.UniqueConstraint(
                fields=["key", "subscription"],
                condition=~Q(key=""),
                name="omni_push_delivery_once_per_key",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["campaign", "status"]),
            models.Index(fields=["subscription", "sent_at"]),
        ]

    def __str__(self):
        return _("Push #%(id)s to subscription #%(subscription)s") % {
            "id": self.pk,
            "subscription": self.subscription_id,
        }
