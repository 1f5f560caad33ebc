from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.fields import StreamField

from ..rules import rule_blocks


class Segment(models.Model):
    """A group of visitors described by rules, all or any of which must hold."""

    class Match(models.TextChoices):
        ALL = "all", _("All rules")
        ANY = "any", _("Any rule")

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    match = models.CharField(
        max_length=3,
        choices=Match.choices,
        default=Match.ALL,
        help_text=_("Whether a visitor must meet all the rules or any one of them."),
    )
    rules = StreamField(rule_blocks(), min_num=1)
    active = models.BooleanField(
        default=True, help_text=_("Inactive segments match nobody and are not evaluated.")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("segment")
        verbose_name_plural = _("segments")

    def __str__(self):
        return self.name

    @property
    def rule_count(self):
        return len(self.rules)


class SegmentMembership(models.Model):
    """A profile in a segment, with the conditions that put it there, as last refreshed."""

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="memberships")
    profile = models.ForeignKey(
        "omni_plugin.Profile", on_delete=models.CASCADE, related_name="segment_memberships"
    )
    reasons = models.JSONField(default=list)
    since = models.DateTimeField(default=timezone.now)
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["segment", "profile"], name="omni_segment_membership_unique"
            )
        ]
        verbose_name = _("segment membership")
