from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RecommendationModel(models.Model):
    """One build of the recommendation model; only a ready build is ever served.

    A build writes its rows while ``building`` and becomes ``ready`` in one transaction,
    so readers see either the previous model or the whole new one.
    """

    class Status(models.TextChoices):
        BUILDING = "building", _("Building")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    status = models.CharField(max_length=8, choices=Status.choices, default=Status.BUILDING)
    similarity = models.CharField(max_length=8)
    started_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)
    interactions = models.PositiveIntegerField(
        default=0, help_text=_("Views, basket additions and order lines read.")
    )
    customers = models.PositiveIntegerField(default=0)
    products = models.PositiveIntegerField(default=0)
    duration = models.FloatField(null=True, blank=True, help_text=_("Seconds the build took."))
    variants = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("Child product id to parent id, for the variants customers interacted with."),
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        get_latest_by = "started_at"
        verbose_name = _("recommendation model")
        verbose_name_plural = _("recommendation models")

    def __str__(self):
        return f"#{self.pk} {self.get_status_display()} ({self.started_at:%Y-%m-%d %H:%M})"


class ProductRecommendations(models.Model):
    """What one build knows about one product: its neighbours, popularity and repeat rate."""

    model = models.ForeignKey(
        RecommendationModel, on_delete=models.CASCADE, related_name="product_rows"
    )
    product_id = models.BigIntegerField()
    related = models.JSONField(
        default=list, help_text=_("[product id, score] of the products seen with it, best first.")
    )
    bought_with = models.JSONField(
        default=list,
        help_text=_("[product id, score] of the products bought with it, best first."),
    )
    popularity = models.FloatField(default=0.0, help_text=_("1.0 for the most popular product."))
    repeat_rate = models.FloatField(
        default=0.0, help_text=_("Share of its buyers who bought it again.")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["model", "product_id"], name="omni_recs_one_row_per_product"
            )
        ]
        indexes = [models.Index(fields=["model", "-popularity"])]
        verbose_name = _("product recommendations")
        verbose_name_plural = _("product recommendations")

    def __str__(self):
        return f"Product #{self.product_id} in model #{self.model_id}"


class TrendingProducts(models.Model):
    """The products trending in one place: everywhere (""), a country or a country/region."""

    model = models.ForeignKey(
        RecommendationModel, on_delete=models.CASCADE, related_name="trending"
    )
    scope = models.CharField(max_length=160, blank=True)
    product_ids = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "scope"], name="omni_recs_one_list_per_scope")
        ]
        verbose_name = _("trending products")
        verbose_name_plural = _("trending products")

    def __str__(self):
        return f"Trending in {self.scope or 'all places'} (model #{self.model_id})"
