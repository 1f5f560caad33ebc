"""The countries the demo shop ships to."""

from oscar.core.loading import get_model

from .summary import counted, summarise

Country = get_model("address", "Country")

UNITED_KINGDOM = "GB"


def create_shipping_countries():
    _, created = Country.objects.get_or_create(
        iso_3166_1_a2=UNITED_KINGDOM,
        defaults={
            "iso_3166_1_a3": "GBR",
            "iso_3166_1_numeric": "826",
            "printable_name": "United Kingdom",
            "name": "United Kingdom of Great Britain and Northern Ireland",
            "is_shipping_country": True,
        },
    )
    return summarise(
        [counted(created, "shipping country", "shipping countries")], existing="United Kingdom"
    )
