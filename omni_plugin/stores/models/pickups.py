"""The store an order is collected from, kept with the order."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .stores import Store, Weekday


class OrderPickup(models.Model):
    """A click and collect order's store, and where its collection stands.

    The store's name, code, address, time zone and phone are copied when the order is
    placed, so that the order still says where to collect it after the store changes or
    is deleted.
    """

    class Status(models.TextChoices):
        AWAITING = "awaiting", _("Being prepared")
        READY = "ready", _("Ready for pickup")
        COLLECTED = "collected", _("Collected")
        EXPIRED = "expired", _("Expired")
        RETURNED = "returned", _("Returned")

    order = models.OneToOneField(
        "order.Order", on_delete=models.CASCADE, related_name="pickup", verbose_name=_("order")
    )
    store = models.ForeignKey(
        Store,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pickups",
        verbose_name=_("store"),
    )
    store_name = models.CharField(_("store name"), max_length=128)
    store_code = models.CharField(_("store code"), max_length=32)
    store_address = models.TextField(_("store address"))
    store_time_zone = models.CharField(_("store time zone"), max_length=64)
    store_phone = models.CharField(_("store phone"), max_length=32, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.AWAITING
    )
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    collected_at = models.DateTimeField(_("collected at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)

    class Meta:
        verbose_name = _("order pickup")
        verbose_name_plural = _("order pickups")

    def __str__(self):
        return f"{self.order} @ {self.store_code}"

    @classmethod
    def for_order(cls, order, store):
        """Create the pickup of ``order`` at ``store``, with a copy of the store's details."""
        return cls.objects.create(
            order=order,
            store=store,
            store_name=store.name,
            store_code=store.code,
            store_address="\n".join(address_lines(store)),
            store_time_zone=store.time_zone,
            store_phone=store.phone,
        )

    @property
    def address_lines(self):
        return self.store_address.splitlines()

    def weekly_hours(self):
        """(day name, [(opens, closes), ...]) for each day of the week, while the store exists;
        a day without hours is closed."""
        if self.store is None:
            return []
        rows = sorted(self.store.opening_hours.all(), key=lambda row: (row.weekday, row.opens))
        return [
            (day.label, [(row.opens, row.closes) for row in rows if row.weekday == day])
            for day in Weekday
        ]


def address_lines(store):
    """The store's postal address, one line each, without empty lines."""
    fields = (store.line1, store.line2, store.city, store.state, store.postcode, store.country)
    return [field for field in fields if field]
