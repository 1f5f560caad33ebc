"""Stores and their opening hours, as the Wagtail admin edits them."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from oscar.core.loading import get_model
from wagtail.models import Orderable

from omni_plugin.geo.timezones import zone

from ..hours import Schedule
from ..validators import validate_country_code, validate_store_code, validate_time_zone
from . import default_time_zone


class Store(ClusterableModel):
    """A shop customers can visit. Its stock is Oscar stock records of its ``partner``."""

    name = models.CharField(_("name"), max_length=128)
    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        validators=[validate_store_code],
        help_text=_("A short reference used by the tills and in reports, such as MAN-01."),
    )
    line1 = models.CharField(_("first line of address"), max_length=255)
    line2 = models.CharField(_("second line of address"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=255)
    state = models.CharField(_("state/county"), max_length=255, blank=True)
    postcode = models.CharField(_("post/zip-code"), max_length=64, blank=True)
    country = models.CharField(
        _("country"),
        max_length=2,
        validators=[validate_country_code],
        help_text=_("The two-letter ISO 3166-1 code, such as GB."),
    )
    latitude = models.FloatField(
        _("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text=_("The IANA name of the store's time zone, such as Europe/London."),
    )
    pickup_enabled = models.BooleanField(
        _("click and collect"),
        default=False,
        help_text=_("Customers can choose this store to collect their orders."),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive stores are hidden from customers.")
    )
    partner = models.OneToOneField(
        "partner.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        blank=True,
        related_name="store",
        help_text=_(
            "The Oscar partner whose stock records are this store's stock. "
            "Leave empty to create one named after the store."
        ),
    )

    class Meta:
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.code = self.code.upper()
        self.country = self.country.upper()

    def save(self, *args, **kwargs):
        with transaction.atomic():
            self.ensure_partner()
            super().save(*args, **kwargs)

    def ensure_partner(self):
        """Give a store without a partner a new one named after it."""
        if self.partner_id is None:
            self.partner = get_model("partner", "Partner").objects.create(name=self.name)
        return self.partner

    @property
    def coordinates(self):
        return (self.latitude, self.longitude)

    @property
    def zone(self):
        """The store's ``ZoneInfo`` (the site's own if its name is no longer known)."""
        return zone(self.time_zone)

    def schedule(self):
        return Schedule(self.zone, self.opening_hours.all(), self.exceptions.all())

    def opening_intervals(self, date):
        """The (opens, closes) aware datetimes of the opening hours that start on ``date``."""
        return self.schedule().intervals(date)

    def is_open_at(self, moment):
        return self.schedule().interval_at(moment) is not None

    def closes_at(self, moment):
        """When the store closes, if it is open at ``moment``; None when it is closed."""
        interval = self.schedule().interval_at(moment)
        return interval[1].astimezone(self.zone) if interval else None

    def next_opening(self, moment):
        """When the store next opens after ``moment`` (None if not within a year)."""
        opens = self.schedule().next_opening(moment)
        return opens.astimezone(self.zone) if opens else None


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Hours(models.Model):
    """Opening and closing times; closing after midnight is said explicitly."""

    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    overnight = models.BooleanField(
        _("closes after midnight"),
        default=False,
        help_text=_("As in 18:00 to 02:00."),
    )

    class Meta:
        abstract = True

    def clean_times(self):
        if self.opens is None or self.closes is None:
            return
        if self.overnight and self.closes >= self.opens:
            raise ValidationError(
                {
                    "closes": _(
                        "Closing the next day, it must close earlier in the day than it opens."
                    )
                }
            )
        if not self.overnight and self.closes <= self.opens:
            raise ValidationError(
                {
                    "closes": _(
                        "Closing time must be after opening time; "
                        "tick “closes after midnight” if it closes the next day."
                    )
                }
            )


class OpeningHours(Orderable, Hours):
    """One opening of a store on a day of the week; a day can have several."""

    store = ParentalKey(Store, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)

    class Meta(Orderable.Meta):
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        super().clean()
        self.clean_times()


class OpeningException(Orderable, Hours):
    """A date when the store is closed or keeps other hours than usual."""

    store = ParentalKey(Store, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField(_("date"))
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    closed = models.BooleanField(_("closed all day"), default=False)
    note = models.CharField(
        _("note"), max_length=255, blank=True, help_text=_("Such as “Christmas Day”.")
    )

    class Meta(Orderable.Meta):
        verbose_name = _("exception to the opening hours")
        verbose_name_plural = _("exceptions to the opening hours")

    def __str__(self):
        if self.closed:
            return f"{self.date}: {_('closed')}"
        return f"{self.date}: {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        super().clean()
        has_times = self.opens is not None or self.closes is not None
        if self.closed and has_times:
            raise ValidationError(
                _("A date is either closed all day or has special hours, not both.")
            )
        if not self.closed:
            missing = {
                field: _("Give the special hours, or tick “closed all day”.")
                for field in ("opens", "closes")
                if getattr(self, field) is None
            }
            if missing:
                raise ValidationError(missing)
        self.clean_times()
