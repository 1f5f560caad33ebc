"""Rules about a customer's value and interests: RFM scores and category affinity."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from ..chooser_blocks import CategoryChooserBlock
from .base import Rule

DIMENSIONS = {"r": _("Recency"), "f": _("Frequency"), "m": _("Monetary")}


def score_field(label):
    return blocks.IntegerBlock(min_value=1, max_value=5, required=False, label=label)


class RFMRule(Rule):
    """RFM scores (1 to 5) within ranges, e.g. champions: recency 4+ and frequency 4+."""

    r_min = score_field(_("Recency from"))
    r_max = score_field(_("Recency to"))
    f_min = score_field(_("Frequency from"))
    f_max = score_field(_("Frequency to"))
    m_min = score_field(_("Monetary from"))
    m_max = score_field(_("Monetary to"))

    class Meta:
        icon = "crosshairs"
        label = _("RFM scores")

    def clean(self, value):
        value = super().clean(value)
        if all(value.get(name) is None for name in self.child_blocks):
            raise StructBlockValidationError(
                block_errors={"r_min": ValidationError(_("Give at least one score range."))}
            )
        return value

    def test(self, params, subject):
        scores = subject.rfm
        if scores is None:
            return False
        return all(
            (params[f"{d}_min"] is None or scores[d] >= params[f"{d}_min"])
            and (params[f"{d}_max"] is None or scores[d] <= params[f"{d}_max"])
            for d in DIMENSIONS
        )

    def describe(self, params):
        ranges = [
            f"{label} {params[f'{d}_min'] or 1}–{params[f'{d}_max'] or 5}"
            for d, label in DIMENSIONS.items()
            if params[f"{d}_min"] is not None or params[f"{d}_max"] is not None
        ]
        return _("RFM %(ranges)s") % {"ranges": ", ".join(ranges)}


class AffinityRule(Rule):
    """Interest in a category (time-decayed views, basket additions and purchases)."""

    category = CategoryChooserBlock()
    threshold = blocks.FloatBlock(
        min_value=0,
        default=5.0,
        help_text=_("A view adds 1, a basket addition 3, a purchase 5; interest halves over time."),
    )

    class Meta:
        icon = "pick"
        label = _("Interested in a category")

    def params(self, value):
        return {
            "category": value["category"].pk,
            "name": str(value["category"]),
            "threshold": value["threshold"],
        }

    def test(self, params, subject):
        return subject.affinities.get(params["category"], 0.0) >= params["threshold"]

    def describe(self, params):
        return _("Interest in %(name)s at least %(threshold)g") % params
