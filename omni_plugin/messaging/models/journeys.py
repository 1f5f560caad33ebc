from datetime import timedelta
from functools import cached_property

from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable


class Journey(ClusterableModel):
    """Messages sent one after another, each a delay after something a customer did.

    A live journey enrols the customers its ``trigger`` finds, one ``JourneyRun`` each,
    and sends each of its steps when due unless the run has stopped (an order placed, the
    customer back in the shop...). ``enrolled_until`` is how far the events have been read.
    """

    class Trigger(models.TextChoices):
        BASKET_LEFT = "basket_left", _("Basket left")
        BROWSE_LEFT = "browse_left", _("Browse left")
        PRICE_DROP = "price_drop", _("Price drop")
        WIN_BACK = "win_back", _("Win-back")
        PICKUP_READY = "pickup_ready", _("Ready for pickup")

    name = models.CharField(_("name"), max_length=100, unique=True)
    trigger = models.CharField(
        _("trigger"),
        max_length=16,
        choices=Trigger.choices,
        help_text=_("What a customer does, or stops doing, that starts the journey."),
    )
    live = models.BooleanField(
        _("live"),
        default=False,
        help_text=_(
            "Only live journeys enrol customers and send. A journey enrols what happens "
            "from the moment it goes live."
        ),
    )
    min_views = models.PositiveSmallIntegerField(
        _("views"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("Browse left: how often the customer viewed the product."),
    )
    lookback_days = models.PositiveSmallIntegerField(
        _("viewed in the last (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Browse left and price drop: the views that count are this recent."),
    )
    min_drop_percent = models.PositiveSmallIntegerField(
        _("price drop of at least (%)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_("Price drop: smaller reductions are not worth a message."),
    )
    inactive_days = models.PositiveSmallIntegerField(
        _("inactive for (days)"),
        default=60,
        validators=[MinValueValidator(1)],
        help_text=_("Win-back: customers who ordered before and have not been seen since."),
    )
    order_status = models.CharField(
        _("order status"),
        max_length=128,
        blank=True,
        help_text=_("Ready for pickup: the order status that means it is ready for collection."),
    )
    enrolled_until = models.DateTimeField(default=timezone.now, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "omni_plugin"
        ordering = ["name"]
        verbose_name = _("journey")
        verbose_name_plural = _("journeys")

    def __str__(self):
        return self.name

    @cached_property
    def ordered_steps(self):
        """The steps in the order they are sent (the admin keeps their delays increasing)."""
        return sorted(self.steps.all(), key=lambda step: (step.sort_order or 0, step.pk or 0))

    def steps_summary(self):
        """The steps in a few words: "push after 1 h, email after 24 h"."""
        return ", ".join(step.summary() for step in self.ordered_steps)


class JourneyStep(Orderable):
    """One message of a journey, sent ``delay`` after what triggered it."""

    class Unit(models.TextChoices):
        MINUTES = "minutes", _("minutes")
        HOURS = "hours", _("hours")
        DAYS = "days", _("days")

    class Channel(models.TextChoices):
        PUSH = "push", _("Web push")
        EMAIL = "email", _("Email")
        ONSITE = "onsite", _("On-site notification")
        SMS = "sms", _("SMS")

    journey = ParentalKey(Journey, on_delete=models.CASCADE, related_name="steps")
    delay = models.PositiveIntegerField(
        _("after"), help_text=_("How long after the trigger the message is sent.")
    )
    delay_unit = models.CharField(_("unit"), max_length=7, choices=Unit.choices, default=Unit.HOURS)
    channel = models.CharField(
        _("channel"),
        max_length=8,
        blank=True,
        choices=Channel.choices,
        help_text=_(
            "Tried first; the others follow if it cannot reach the customer. Leave empty "
            "for the customer's preferred channel."
        ),
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(
        _("body"),
        max_length=1000,
        help_text=_("Placeholders such as {product} are filled in for each customer."),
    )

    class Meta(Orderable.Meta):
        app_label = "omni_plugin"
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self):
        return self.summary()

    @property
    def offset(self):
        return timedelta(**{self.delay_unit: self.delay})

    def summary(self):
        channel = self.channel or _("message")
        short = {"minutes": "min", "hours": "h", "days": "d"}[self.delay_unit]
        return _("%(channel)s after %(delay)s %(unit)s") % {
            "channel": channel,
            "delay": self.delay,
            "unit": short,
        }


class JourneyRun(models.Model):
    """One customer's way through a journey, about one thing (``key``): a basket, a product.

    ``next_step`` is the index of the step to send next, due at ``next_due_at``
    (``started_at`` plus its delay). A run exists once per journey, profile and key.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        STOPPED = "stopped", _("Stopped")

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="runs")
    profile = models.ForeignKey(
        "omni_plugin.Profile", on_delete=models.CASCADE, related_name="journey_runs"
    )
    key = models.CharField(max_length=100)
    context = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    started_at = models.DateTimeField(help_text=_("When it was triggered."))
    next_step = models.PositiveSmallIntegerField(default=0)
    next_due_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.ACTIVE)
    stop_reason = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "omni_plugin"
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["journey", "profile", "key"], name="omni_journey_run_unique_key"
            )
        ]
        indexes = [models.Index(fields=["status", "next_due_at"])]
        verbose_name = _("journey run")
        verbose_name_plural = _("journey runs")

    def __str__(self):
        return f"{self.journey} for profile #{self.profile_id} ({self.key}): {self.status}"


class PriceDrop(models.Model):
    """A product's price went down: what price drop journeys tell the interested about."""

    product_id = models.BigIntegerField()
    old_price = models.DecimalField(max_digits=12, decimal_places=2)
    new_price = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=12)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "omni_plugin"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["at"])]

    def __str__(self):
        return f"Product #{self.product_id}: {self.old_price} → {self.new_price} {self.currency}"

    @property
    def percent(self):
        """How much cheaper it got, in percent of the old price."""
        return (self.old_price - self.new_price) * 100 / self.old_price
