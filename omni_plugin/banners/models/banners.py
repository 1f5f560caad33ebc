from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.fields import StreamField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
)

from ..blocks import VariantBlock

#: The variant id reports use for visitors held out of an A/B test.
HOLDOUT = "holdout"


class Banner(PreviewableMixin, DraftStateMixin, LockableMixin, RevisionMixin, models.Model):
    """A dynamic banner: variants with targeting, shown in slots; drafts go live on publish."""

    class Choice(models.TextChoices):
        PRIORITY = "priority", _("The first variant that fits the visitor")
        AB_TEST = "ab_test", _("An A/B test among the variants that fit, by weight")

    name = models.CharField(max_length=100)
    choice = models.CharField(max_length=10, choices=Choice.choices, default=Choice.PRIORITY)
    variants = StreamField([("variant", VariantBlock())], min_num=1)
    holdout_percent = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(50)],
        help_text=_("In an A/B test, the share of visitors shown the fallback, to measure lift."),
    )
    frequency_cap = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_("At most this many views per visitor per day; empty for no limit."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="omni_banner")

    class Meta:
        ordering = ["name"]
        verbose_name = _("banner")
        verbose_name_plural = _("banners")

    def __str__(self):
        return self.name

    @property
    def revisions(self):
        return self._revisions

    def clean(self):
        super().clean()
        fallbacks = [child for child in self.variants if child.value["fallback"]]
        if len(fallbacks) > 1:
            raise ValidationError({"variants": _("Only one variant can be the fallback.")})
        if self.holdout_percent and not fallbacks:
            raise ValidationError(
                {"holdout_percent": _("A holdout group needs a variant marked as the fallback.")}
            )

    @property
    def preview_modes(self):
        return [(child.id, child.value["name"]) for child in self.variants] or [("", _("Banner"))]

    def get_preview_template(self, request, mode_name):
        return "omni/banners/preview.html"

    def get_preview_context(self, request, mode_name):
        variant = next((child for child in self.variants if child.id == mode_name), None)
        return {
            **super().get_preview_context(request, mode_name),
            "banner": self,
            "variant": variant,
        }


class Slot(ClusterableModel):
    """A named place on the site's pages; its banners are tried in order (priority)."""

    name = models.CharField(max_length=100)
    key = models.SlugField(
        max_length=60,
        unique=True,
        help_text=_('What templates name it: {% omni_slot "home-hero" %}'),
    )
    render_mode = models.CharField(
        _("render mode"),
        max_length=6,
        blank=True,
        choices=[
            ("inline", _("In the page")),
            ("esi", _("ESI include, filled at the edge")),
            ("js", _("Placeholder filled by a script")),
        ],
        help_text=_("Leave empty to use the shop's OMNI_SLOT_RENDER_MODE."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("banner slot")
        verbose_name_plural = _("banner slots")

    def __str__(self):
        return self.name


class SlotBanner(Orderable):
    slot = ParentalKey(Slot, on_delete=models.CASCADE, related_name="placements")
    banner = models.ForeignKey(Banner, on_delete=models.CASCADE, related_name="placements")

    class Meta(Orderable.Meta):
        verbose_name = _("banner in slot")


class BannerStat(models.Model):
    """A day's figures of one variant of a banner (``HOLDOUT`` for the holdout group)."""

    banner = models.ForeignKey(Banner, on_delete=models.CASCADE, related_name="stats")
    variant = models.CharField(max_length=40)
    day = models.DateField()
    impressions = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)
    orders = models.PositiveIntegerField(default=0)
    revenue = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["banner", "variant", "day"], name="omni_banner_stat_unique_day"
            )
        ]
        verbose_name = _("banner statistics")


class AttributedOrder(models.Model):
    """An order counted for the banner its customer last clicked: no order counts twice."""

    order_number = models.CharField(max_length=128, unique=True)
    banner = models.ForeignKey(Banner, on_delete=models.CASCADE, related_name="attributed_orders")
    variant = models.CharField(max_length=40)
    revenue = models.DecimalField(max_digits=12, decimal_places=2)
    placed_at = models.DateTimeField()
    clicked_at = models.DateTimeField()

    class Meta:
        verbose_name = _("order attributed to a banner")
        verbose_name_plural = _("orders attributed to banners")

    def __str__(self):
        return self.order_number
