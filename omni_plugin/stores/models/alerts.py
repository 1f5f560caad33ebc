"""Alerts a visitor asked for: tell me when a product is back (online or at a store), or
when an item of my wish list gets cheaper."""

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .stores import Store


def new_alert_key():
    return secrets.token_urlsafe(24)


class StockAlert(models.Model):
    """One alert of one profile about one product, closed once it has fired.

    A back-in-stock alert without a ``store`` waits for the web shop's stock, one with a
    store for that store's. An alert on a parent product fires when any of its variants
    is back. An anonymous visitor's email alert waits ``unconfirmed`` until its address
    is confirmed through the link of ``key``, which also cancels it from any email.
    """

    class Kind(models.TextChoices):
        BACK_IN_STOCK = "back_in_stock", _("Back in stock")
        PRICE_DROP = "price_drop", _("Price drop")

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Waiting for the address to be confirmed")
        ACTIVE = "active", _("Waiting")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    class Channel(models.TextChoices):
        PUSH = "push", _("Web push")
        EMAIL = "email", _("Email")
        ONSITE = "onsite", _("On-site notice")

    #: Statuses of an alert still to fire: a person has one such alert per product and place.
    OPEN = (Status.UNCONFIRMED, Status.ACTIVE)

    profile = models.ForeignKey(
        "omni_plugin.Profile", on_delete=models.CASCADE, related_name="stock_alerts"
    )
    origin_profile = models.ForeignKey(
        "omni_plugin.Profile", on_delete=models.CASCADE, related_name="+", editable=False
    )
    product = models.ForeignKey(
        "catalogue.Product",
        on_delete=models.CASCADE,
        related_name="omni_stock_alerts",
        verbose_name=_("product"),
    )
    store = models.ForeignKey(
        Store,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stock_alerts",
        verbose_name=_("store"),
        help_text=_("Empty for the web shop's stock."),
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.BACK_IN_STOCK
    )
    channel = models.CharField(
        _("channel"),
        max_length=8,
        choices=Channel.choices,
        blank=True,
        help_text=_("The channel tried first; empty for the customer's preferred one."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    email = models.EmailField(
        _("email"), blank=True, help_text=_("The address an anonymous visitor gave.")
    )
    key = models.CharField(max_length=40, unique=True, default=new_alert_key, editable=False)
    price = models.DecimalField(
        _("price"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("A price drop alert fires below this price."),
    )
    created_at = models.DateTimeField(_("asked at"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    message = models.ForeignKey(
        "omni_plugin.Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The message it fired, with what became of it."),
    )

    class Meta:
        verbose_name = _("stock alert")
        verbose_name_plural = _("stock alerts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "product", "kind"],
                condition=Q(store__isnull=True, status__in=["unconfirmed", "active"]),
                name="omni_stock_alert_once_online",
            ),
            models.UniqueConstraint(
                fields=["profile", "product", "store", "kind"],
                condition=Q(store__isnull=False, status__in=["unconfirmed", "active"]),
                name="omni_stock_alert_once_per_store",
            ),
        ]
        indexes = [
            models.Index(fields=["product", "status"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self):
        place = self.store.name if self.store_id else _("online")
        return f"{self.get_kind_display()}: {self.product} ({place})"

    @property
    def is_open(self):
        return self.status in self.OPEN
