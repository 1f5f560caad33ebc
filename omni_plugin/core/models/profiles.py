from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    """One customer, across browsers, the web shop and the stores' tills.

    ``snapshot`` is a denormalised summary of the profile's events (recent products,
    category affinities, basket, orders, RFM, consents, geo, device) kept current as
    events arrive, so that a request reads one row, or one cache entry, and no events.
    """

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_seen = models.DateTimeField(default=timezone.now, db_index=True)
    snapshot = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    version = models.PositiveIntegerField(
        default=0, editable=False, help_text=_("Raised on every snapshot write, to detect races.")
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_profiles",
        help_text=_("The profile this one was merged into; its identifiers moved there."),
    )
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("customer profile")
        verbose_name_plural = _("customer profiles")

    def __str__(self):
        email = self.snapshot.get("email")
        return email or _("Anonymous visitor #%(id)s") % {"id": self.pk}


class Identifier(models.Model):
    """A value that points to exactly one profile: a visitor id, a user, an email, ..."""

    class Kind(models.TextChoices):
        VISITOR = "visitor", _("Visitor id")
        USER = "user", _("User account")
        EMAIL = "email", _("Email address")
        PHONE = "phone", _("Phone number")
        LOYALTY = "loyalty", _("Loyalty card")
        POS = "pos", _("POS customer id")

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    value = models.CharField(max_length=254)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="omni_identifier_unique_value")
        ]
        indexes = [models.Index(fields=["profile", "kind"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"


class Event(models.Model):
    """Something a customer did, on any channel. Events are only ever appended.

    ``origin_profile`` is the profile the event was first recorded on. Merging moves
    ``profile`` to the surviving profile; undoing the merge moves it back. Erasing a
    profile detaches its events from both, leaving anonymous statistics.
    """

    class Channel(models.TextChoices):
        WEB = "web", _("Web shop")
        STORE = "store", _("Store / POS")
        PUSH = "push", _("Web push")
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")

    profile = models.ForeignKey(Profile, null=True, on_delete=models.CASCADE, related_name="events")
    origin_profile = models.ForeignKey(
        Profile, null=True, on_delete=models.CASCADE, related_name="+", editable=False
    )
    kind = models.CharField(max_length=40)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.WEB)
    occurred_at = models.DateTimeField(default=timezone.now)
    product_id = models.BigIntegerField(null=True, blank=True)
    category_ids = models.JSONField(default=list, blank=True)
    order_number = models.CharField(max_length=128, blank=True)
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        indexes = [
            models.Index(fields=["profile", "occurred_at"]),
            models.Index(fields=["origin_profile"]),
            models.Index(fields=["kind", "occurred_at"]),
        ]
        ordering = ["-occurred_at", "-id"]

    def __str__(self):
        return f"{self.kind} at {self.occurred_at:%Y-%m-%d %H:%M}"


class Merge(models.Model):
    """The journal of one merge: which profile went into which, why, and what moved."""

    class Reason(models.TextChoices):
        LOGIN = "login", _("Logged in")
        REGISTRATION = "registration", _("Registered")
        CHECKOUT = "checkout", _("Checked out with an email")
        POS = "pos", _("Identified at the till")
        STAFF = "staff", _("Merged by staff")

    survivor = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="merges_in")
    merged = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="merges_out")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    identifier_ids = models.JSONField(
        default=list, help_text=_("The identifiers that moved to the survivor.")
    )
    consent_ids = models.JSONField(
        default=list, help_text=_("The consent records that moved to the survivor.")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    events_moved_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = _("merges")

    def __str__(self):
        return f"#{self.merged_id} into #{self.survivor_id} ({self.get_reason_display()})"


class Consent(models.Model):
    """One consent decision. The newest record per purpose is the one in force."""

    class Purpose(models.TextChoices):
        PERSONALISATION = "personalisation", _("Personalisation")
        PROFILING = "profiling", _("Profiling")
        EMAIL = "email", _("Email")
        PUSH = "push", _("Web push")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        GRANTED = "granted", _("Granted")
        DENIED = "denied", _("Denied")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    source = models.CharField(
        max_length=64, help_text=_("Where it was given: checkout, account page, till, ...")
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["profile", "purpose", "recorded_at"])]

    def __str__(self):
        return f"{self.get_purpose_display()}: {self.get_status_display()}"
