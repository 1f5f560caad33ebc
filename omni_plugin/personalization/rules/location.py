"""Rules about where a visitor is: named places, or a distance from a point."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from omni_plugin.geo.distance import haversine_km

from .base import Rule

PLACE_LEVELS = ("country", "region", "city")


def _names(text):
    return frozenset(name.strip().casefold() for name in (text or "").split(",") if name.strip())


class LocationRule(Rule):
    """In one of the listed countries, regions or cities (any of them matches)."""

    countries = blocks.CharBlock(
        required=False, help_text=_("ISO codes separated by commas, e.g. GB, IE")
    )
    regions = blocks.CharBlock(required=False, help_text=_("e.g. Scotland, England"))
    cities = blocks.CharBlock(required=False, help_text=_("e.g. London, Manchester"))

    class Meta:
        icon = "site"
        label = _("Country, region or city")

    def clean(self, value):
        value = super().clean(value)
        if not any(_names(value.get(field)) for field in ("countries", "regions", "cities")):
            raise StructBlockValidationError(
                block_errors={"countries": ValidationError(_("Name at least one place."))}
            )
        return value

    def params(self, value):
        return {
            "country": _names(value.get("countries")),
            "region": _names(value.get("regions")),
            "city": _names(value.get("cities")),
            "text": ", ".join(
                filter(None, (value.get(f) for f in ("countries", "regions", "cities")))
            ),
        }

    def test(self, params, subject):
        return any(
            (subject.geo.get(level) or "").casefold() in params[level] for level in PLACE_LEVELS
        )

    def describe(self, params):
        return _("In %(text)s") % params


class NearRule(Rule):
    """Within R km of a point, such as a store. Only a live visit has coordinates."""

    place = blocks.CharBlock(help_text=_("A name for the point, e.g. the store's"))
    latitude = blocks.FloatBlock(min_value=-90, max_value=90)
    longitude = blocks.FloatBlock(min_value=-180, max_value=180)
    radius_km = blocks.FloatBlock(min_value=0.1, default=10, label=_("Within (km)"))

    class Meta:
        icon = "site"
        label = _("Near a place")

    def test(self, params, subject):
        if subject.coordinates is None:
            return False
        point = (params["latitude"], params["longitude"])
        return haversine_km(subject.coordinates, point) <= params["radius_km"]

    def describe(self, params):
        return _("Within %(radius_km)s km of %(place)s") % params
