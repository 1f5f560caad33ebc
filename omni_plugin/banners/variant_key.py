"""The variant key: what the edge caches a slot's fragment by, kept in a signed cookie.

It holds what the live banners' targeting looks at, and nothing else: the targeted
segments the visitor is in, their country and device class and, only while some live
targeting or banner needs them, their region, city, time zone, rough position, A/B
bucket and the capped banners they have seen enough today. Visitors alike share a key,
so a fragment is cached per (slot, key), never per visitor. A key that was tampered with
reads as the empty key, which sees the default variants.

The middleware sets the cookie on the shop's own responses when it changes
(``refresh_cookie``); responses the shop marks as shareable get no cookie.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

from omni_plugin.conf import omni_settings
from omni_plugin.core.context import is_shareable
from omni_plugin.personalization.segmenting import segment_ids_for_request

from .capping import view_counts
from .choice import bucket
from .compiled import live_banners

SALT = "omni.banners.variant-key"
COOKIE_AGE = 60 * 60 * 24 * 30
#: Coordinates are rounded to this many decimals (0.1° is about 11 km).
POSITION_DECIMALS = 1


@dataclass(frozen=True)
class VariantKey:
    segments: frozenset = frozenset()
    country: str = ""
    device: str = ""
    region: str = ""
    city: str = ""
    time_zone: str = ""
    coordinates: tuple | None = None
    bucket: int | None = None
    capped: frozenset = frozenset()

    def signed(self):
        fields = [
            sorted(self.segments),
            self.country,
            self.device,
            self.region,
            self.city,
            self.time_zone,
            list(self.coordinates) if self.coordinates else None,
            self.bucket,
            sorted(self.capped),
        ]
        return signing.Signer(salt=SALT).sign_object(fields, compress=True)

    @classmethod
    def read(cls, text):
        """The key a cookie or URL holds; the empty key when it is missing or not ours."""
        if not text:
            return EMPTY
        try:
            fields = signing.Signer(salt=SALT).unsign_object(text)
            segments, country, device, region, city, time_zone, coordinates, bucket_, capped = (
                fields
            )
            return cls(
                frozenset(map(str, segments)),
                str(country),
                str(device),
                str(region),
                str(city),
                str(time_zone),
                (float(coordinates[0]), float(coordinates[1])) if coordinates else None,
                None if bucket_ is None else int(bucket_),
                frozenset(map(int, capped)),
            )
        except (signing.BadSignature, ValueError, TypeError, IndexError):
            return EMPTY


EMPTY = VariantKey()


@dataclass(frozen=True)
class Needs:
    """What of a visitor the live banners' targeting and settings look at."""

    segments: frozenset
    region: bool
    city: bool
    time_zone: bool
    coordinates: bool
    ab_test: bool
    capped: bool


def needs_of(compiled):
    segments, conditions = set(), []
    for banner in compiled.banners.values():
        for variant in banner.all_variants:
            segments |= variant.targeting.include_segments | variant.targeting.exclude_segments
            conditions += variant.targeting.conditions
    locations = [params for name, params in conditions if name == "location"]
    names = {name for name, _params in conditions}
    return Needs(
        segments=frozenset(segments),
        region=any(params["region"] for params in locations),
        city=any(params["city"] for params in locations),
        time_zone="local_time" in names,
        coordinates="near" in names,
        ab_test=any(banner.ab_test for banner in compiled.banners.values()),
        capped=any(banner.frequency_cap for banner in compiled.banners.values()),
    )


class _Needs:
    """``Needs`` of the live banners, worked out again only when they change."""

    def __init__(self):
        self._for = (None, None)

    def get(self):
        compiled = live_banners()
        if self._for[0] is not compiled:
            self._for = (compiled, needs_of(compiled))
        return self._for[1]


live_needs = _Needs()


def key_for_request(request):
    """The variant key of the request's visitor, as the live banners need it."""
    needs = live_needs.get()
    omni = request.omni
    geo = omni.geo.coarse() if omni.geo.known else {}
    segments = frozenset()
    if needs.segments:
        segments = needs.segments & {str(pk) for pk in segment_ids_for_request(request)}
    coordinates = None
    if needs.coordinates and omni.geo.coordinates:
        coordinates = tuple(round(part, POSITION_DECIMALS) for part in omni.geo.coordinates)
    capped = frozenset()
    if needs.capped:
        counts = view_counts(request)
        capped = frozenset(
            banner.id for banner in live_banners().banners.values() if counts.reached(banner)
        )
    return VariantKey(
        segments=segments,
        country=geo.get("country", ""),
        device=omni.device,
        region=geo.get("region", "") if needs.region else "",
        city=geo.get("city", "") if needs.city else "",
        time_zone=geo.get("time_zone", "") if needs.time_zone else "",
        coordinates=coordinates,
        bucket=visitor_bucket(omni.visitor_id) if needs.ab_test else None,
        capped=capped,
    )


def visitor_bucket(visitor_id):
    """The visitor's A/B bucket at the edge: the same on every visit."""
    return int(bucket("edge", visitor_id) * omni_settings.EDGE_AB_BUCKETS)


def key_from_request(request):
    """The key a fragment request carries: in its ``vk`` parameter (js mode) or cookie."""
    name = omni_settings.VARIANT_KEY_COOKIE_NAME
    return VariantKey.read(request.GET.get("vk") or request.COOKIES.get(name))


def refresh_cookie(request, response):
    """Set the variant key cookie when the visitor's key changed; the middleware calls it."""
    omni = request.omni
    if not (omni.tracked and omni.sets_cookies) or is_shareable(response):
        return
    if omni_settings.SLOT_RENDER_MODE == "inline" and not live_banners().slot_modes:
        return
    name = omni_settings.VARIANT_KEY_COOKIE_NAME
    current = key_for_request(request)
    if VariantKey.read(request.COOKIES.get(name)) == current:
        return
    response.set_cookie(
        name,
        current.signed(),
        max_age=COOKIE_AGE,
        httponly=False,  # the js mode puts it in the fragment's URL
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
