"""What the stores' tills keep with the shop: their API keys and calls, their sales, their
stock reports, and the single-use QR codes customers show them.

Their tables belong to the ``omni_plugin`` label, the profile core's, since before the POS
API became an app of its own; the migrations stay with the core.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PosApiKey(models.Model):
    """A store's (or one till's) key to the POS API, with what it may do.

    Only ``prefix`` and a SHA-256 ``hashed_secret`` of the whole key are kept: the key
    itself is shown once, when it is made (``omni_plugin.pos.keys.issue_key``).
    """

    class Scope(models.TextChoices):
        CUSTOMERS_READ = "customers:read", _("Look customers up")
        CUSTOMERS_WRITE = "customers:write", _("Enrol new customers")
        ORDERS_WRITE = "orders:write", _("Record in-store orders")
        STOCK_WRITE = "stock:write", _("Report stock")
        PICKUPS = "pickups", _("Hand over click and collect orders")

    store = models.ForeignKey(
        "omni_stores.Store",
        on_delete=models.CASCADE,
        related_name="pos_api_keys",
        verbose_name=_("store"),
    )
    till = models.CharField(
        _("till"),
        max_length=64,
        blank=True,
        help_text=_("The till that uses this key, if it is not the whole store's."),
    )
    scopes = models.JSONField(_("scopes"), default=list)
    prefix = models.CharField(_("key"), max_length=16, unique=True, editable=False)
    hashed_secret = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        app_label = "omni_plugin"
        ordering = ["-created_at", "-id"]
        verbose_name = _("POS API key")
        verbose_name_plural = _("POS API keys")

    def __str__(self):
        till = f" ({self.till})" if self.till else ""
        return f"{self.prefix}… {self.store}{till}"

    @property
    def is_active(self):
        return self.revoked_at is None


class PosCall(models.Model):
    """One call to the POS API: which key, what, how it ended and how long it took.

    Nothing personal: the path (no query string), never the body.
    """

    key = models.ForeignKey(
        PosApiKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls"
    )
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=255)
    status = models.PositiveSmallIntegerField()
    duration_ms = models.PositiveIntegerField()
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        app_label = "omni_plugin"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["key", "at"])]
        verbose_name = _("POS API call")
        verbose_name_plural = _("POS API calls")

    def __str__(self):
        return f"{self.method} {self.path} {self.status}"


class StoreOrder(models.Model):
    """A sale at a store's till. ``client_id`` is the till's own id for it, unique per store
    and kept for good, so that a till replaying its queue records each sale once.

    ``fingerprint`` is a hash of what the till sent, which tells a replay from another
    order reusing the id. ``profile`` is the customer's profile when the sale was recorded
    (merges move the sale's event, not this), cleared when the customer is erased.
    """

    store = models.ForeignKey(
        "omni_stores.Store", on_delete=models.PROTECT, related_name="store_orders"
    )
    client_id = models.CharField(max_length=64)
    key = models.ForeignKey(
        PosApiKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    profile = models.ForeignKey(
        "omni_plugin.Profile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="store_orders",
    )
    placed_at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)
    currency = models.CharField(max_length=12)
    discount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    fingerprint = models.CharField(max_length=64)

    class Meta:
        app_label = "omni_plugin"
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["store", "client_id"], name="omni_store_order_unique_client_id"
            )
        ]
        verbose_name = _("in-store order")
        verbose_name_plural = _("in-store orders")

    def __str__(self):
        return self.number

    @property
    def number(self):
        """The order's number in events and reports: the store's code and the till's id."""
        return store_order_number(self.store.code, self.client_id)


def store_order_number(store_code, client_id):
    return f"{store_code}/{client_id}"


class StoreOrderLine(models.Model):
    order = models.ForeignKey(StoreOrder, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "catalogue.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=255)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        app_label = "omni_plugin"
        ordering = ["id"]

    def __str__(self):
        return f"{self.quantity} × {self.title}"


class StockReport(models.Model):
    """A till's stock report that carried its own id: remembered so a replay changes nothing."""

    store = models.ForeignKey("omni_stores.Store", on_delete=models.CASCADE, related_name="+")
    client_id = models.CharField(max_length=64)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "omni_plugin"
        constraints = [
            models.UniqueConstraint(
                fields=["store", "client_id"], name="omni_stock_report_unique_client_id"
            )
        ]


class UsedQrNonce(models.Model):
    """A customer's QR code shown at a till, so that the same code is never accepted twice.

    Rows older than the codes' lifetime are deleted: such codes are refused as expired.
    """

    nonce = models.CharField(max_length=32, unique=True)
    used_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        app_label = "omni_plugin"
