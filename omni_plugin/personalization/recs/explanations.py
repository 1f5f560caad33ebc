"""Why a product is recommended, in words the customer reads under it."""

from typing import NamedTuple

from django.core.cache import caches
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from omni_plugin.conf import omni_settings
from omni_plugin.core.compiled_cache import CompiledCache

Category = get_model("catalogue", "Category")
Country = get_model("address", "Country")

NAME_TIMEOUT = 60 * 60

MESSAGES = {
    "recently_viewed": _("You viewed this recently"),
    "viewed": _("Because you viewed %(product)s"),
    "bought": _("Because you bought %(product)s"),
    "similar": _("Similar to %(product)s"),
    "also_bought": _("Customers who bought %(product)s also bought"),
    "bought_with": _("Often bought with %(product)s"),
    "popular_in": _("Popular in %(place)s"),
    "trending": _("Trending now"),
    "popular": _("Popular with our customers"),
    "buy_again": _("Buy again"),
    "manual": _("Recommended with %(product)s"),
}


class Reason(NamedTuple):
    """What ``explain`` words: a kind of ``MESSAGES``, the product or place it names."""

    kind: str
    product_id: int | None = None
    place: str = ""


def explain(reason, products):
    """The reason as text; ``products`` holds the product it names, by id."""
    named = products.get(reason.product_id)
    return str(MESSAGES[reason.kind]) % {
        "product": named.get_title() if named is not None else "",
        "place": reason.place,
    }


def country_name(code):
    """The country's name from Oscar's countries, or its code when the shop lacks it."""
    return _cached_name(
        f"omni:country-name:{code}",
        lambda: Country.objects.filter(iso_3166_1_a2=code).values_list("printable_name", flat=True),
        code,
    )


def category_name(category_id):
    """The category's name, from the names each process keeps of every category."""
    return category_names.get().get(category_id, "")


def _all_category_names():
    return dict(Category.objects.values_list("pk", "name"))


#: Read again by every process once a category is saved or deleted.
category_names = CompiledCache("category-names", _all_category_names)


def _cached_name(key, names, default):
    cache = caches[omni_settings.CACHE_ALIAS]
    name = cache.get(key)
    if name is None:
        name = names().first() or default
        cache.set(key, name, NAME_TIMEOUT)
    return name
