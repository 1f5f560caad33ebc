"""The blocks editors build banners from: variants, their content and their targeting."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from omni_plugin.geo.devices import DESKTOP, MOBILE, TABLET
from omni_plugin.personalization.rules.visit import WEEKDAYS
from omni_plugin.stores.radius import near_problem

STRATEGY_CHOICES = [
    ("for_you", _("For you")),
    ("bought_together", _("Bought together (with the page's product or the basket)")),
    ("similar", _("Similar (to the page's product)")),
    ("trending", _("Trending where the visitor is")),
    ("buy_again", _("Buy again")),
]


def segment_choices():
    from omni_plugin.personalization.models import Segment

    return [(str(pk), name) for pk, name in Segment.objects.values_list("pk", "name")]


def validate_link(value):
    """A path on this site or an http(s) URL: nothing else is ever put in an href."""
    parts = urlsplit(value)
    if value.startswith("/") and not value.startswith("//"):
        return
    if parts.scheme in ("http", "https") and parts.netloc:
        return
    raise ValidationError(
        _("Enter a path on this site (/shop/...) or a full http:// or https:// address.")
    )


class CreativeBlock(blocks.StructBlock):
    image = ImageChooserBlock(required=False)
    headline = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False, max_length=400)
    call_to_action = blocks.CharBlock(required=False, max_length=40)
    link = blocks.CharBlock(required=False, validators=[validate_link])

    class Meta:
        icon = "image"
        label = _("Creative")


class ProductListBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False, max_length=80)
    limit = blocks.IntegerBlock(min_value=1, max_value=12, default=4)


class ProductStripBlock(ProductListBlock):
    strategy = blocks.ChoiceBlock(choices=STRATEGY_CHOICES, default="for_you")

    class Meta:
        icon = "list-ul"
        label = _("Product strip")


class RecentlyViewedBlock(ProductListBlock):
    class Meta:
        icon = "history"
        label = _("Recently viewed")


class CollectNearbyBlock(ProductListBlock):
    class Meta:
        icon = "site"
        label = _("Available to collect near you")


class BackInStockBlock(ProductListBlock):
    class Meta:
        icon = "tick"
        label = _("Back in stock for you")


class ContentBlock(blocks.StreamBlock):
    creative = CreativeBlock()
    product_strip = ProductStripBlock()
    recently_viewed = RecentlyViewedBlock()
    collect_nearby = CollectNearbyBlock()
    back_in_stock = BackInStockBlock()

    class Meta:
        min_num = 1
        max_num = 1


class SnippetIdChooserBlock(SnippetChooserBlock):
    """A snippet chooser whose value is the chosen snippet's id, not the snippet.

    A placed banner is rendered from the compiled banners, which need only the id: reading
    a page then costs no query for the snippets placed on it.
    """

    def _pk(self, value):
        if value is None or value == "":
            return None
        if isinstance(value, self.target_model):
            return value.pk
        return self.target_model._meta.pk.to_python(value)

    def to_python(self, value):
        return self._pk(value)

    def bulk_to_python(self, values):
        return [self._pk(value) for value in values]

    def normalize(self, value):
        return self._pk(value)

    def value_from_form(self, value):
        return self._pk(value)

    def clean(self, value):
        return self._pk(super().clean(value))

    def get_prep_value(self, value):
        return self._pk(value)

    def extract_references(self, value):
        if value is not None:
            yield self.target_model, str(value), "", ""


class TargetingBlock(blocks.StructBlock):
    """Who may see a variant; empty fields do not restrict."""

    include_segments = blocks.MultipleChoiceBlock(
        choices=segment_choices, required=False, help_text=_("In any of these segments")
    )
    exclude_segments = blocks.MultipleChoiceBlock(
        choices=segment_choices, required=False, help_text=_("In none of these segments")
    )
    countries = blocks.CharBlock(required=False, help_text=_("ISO codes, e.g. GB, IE"))
    regions = blocks.CharBlock(required=False)
    cities = blocks.CharBlock(required=False)
    near_store = SnippetIdChooserBlock(
        "omni_stores.Store",
        required=False,
        help_text=_("Visitors within the radius of this store; or give a point instead"),
    )
    near_latitude = blocks.FloatBlock(required=False, min_value=-90, max_value=90)
    near_longitude = blocks.FloatBlock(required=False, min_value=-180, max_value=180)
    near_radius_km = blocks.FloatBlock(required=False, min_value=0.1)
    devices = blocks.MultipleChoiceBlock(
        choices=[(MOBILE, _("Mobile")), (TABLET, _("Tablet")), (DESKTOP, _("Desktop"))],
        required=False,
    )
    days = blocks.MultipleChoiceBlock(choices=WEEKDAYS, required=False)
    from_hour = blocks.IntegerBlock(min_value=0, max_value=23, required=False)
    to_hour = blocks.IntegerBlock(min_value=1, max_value=24, required=False)

    class Meta:
        icon = "crosshairs"
        form_classname = "struct-block omni-targeting"

    def clean(self, value):
        value = super().clean(value)
        if problem := near_problem(
            value.get("near_store"),
            value.get("near_latitude"),
            value.get("near_longitude"),
            value.get("near_radius_km"),
        ):
            raise StructBlockValidationError(
                block_errors={"near_radius_km": ValidationError(problem)}
            )
        if (value.get("from_hour") is None) != (value.get("to_hour") is None):
            raise StructBlockValidationError(
                block_errors={"to_hour": ValidationError(_("Give both hours or neither."))}
            )
        return value


class VariantBlock(blocks.StructBlock):
    name = blocks.CharBlock(max_length=60, help_text=_("Shown in reports, e.g. 'A' or 'Summer'"))
    content = ContentBlock()
    targeting = TargetingBlock(required=False)
    weight = blocks.IntegerBlock(
        min_value=0, max_value=100, default=1, help_text=_("Share of visitors in an A/B test")
    )
    fallback = blocks.BooleanBlock(
        required=False,
        help_text=_(
            "Shown to the holdout group and to visitors no other variant fits; its targeting "
            "is not used"
        ),
    )

    class Meta:
        icon = "image"
        label = _("Variant")


class DynamicBannerBlock(blocks.StructBlock):
    """A banner or a slot placed on a page: the visitor sees the variant that fits them.

    Its value holds the ids of the chosen banner and slot.
    """

    banner = SnippetIdChooserBlock("omni_banners.Banner", required=False)
    slot = SnippetIdChooserBlock("omni_banners.Slot", required=False)

    class Meta:
        icon = "image"
        label = _("Dynamic banner")

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("banner")) == bool(value.get("slot")):
            raise StructBlockValidationError(
                block_errors={"banner": ValidationError(_("Choose either a banner or a slot."))}
            )
        return value

    def render(self, value, context=None):
        from .rendering import render_banner, render_placed_slot

        request = (context or {}).get("request")
        if request is None:
            return ""
        product = (context or {}).get("product")
        if value.get("slot"):
            return render_placed_slot(request, value["slot"], product=product)
        if value.get("banner"):
            return render_banner(request, value["banner"], product=product)
        return ""
