"""A variant's targeting compiled to plain data, tested with the segment rules' own tests.

Places, distance, devices and local time reuse ``omni_plugin.personalization.rules``; segments are
matched against the visitor's segment ids. Empty fields do not restrict.
"""

from dataclasses import dataclass

from omni_plugin.personalization.rules import RULES
from omni_plugin.stores.radius import store_coordinates


@dataclass(frozen=True)
class Targeting:
    include_segments: frozenset = frozenset()
    exclude_segments: frozenset = frozenset()
    #: (rule name, plain params) pairs that must all pass.
    conditions: tuple = ()
    #: False when it names what is gone (a store closed down): then nobody fits.
    reachable: bool = True

    @property
    def uses_segments(self):
        return bool(self.include_segments or self.exclude_segments)

    def fits(self, subject, segment_ids):
        """Whether the visitor fits; ``segment_ids`` is a set of segment ids as strings."""
        if not self.reachable:
            return False
        if self.include_segments and self.include_segments.isdisjoint(segment_ids):
            return False
        if not self.exclude_segments.isdisjoint(segment_ids):
            return False
        return all(RULES[name].test(params, subject) for name, params in self.conditions)


EVERYONE = Targeting()


def compile_targeting(value):
    """A ``Targeting`` from a ``TargetingBlock`` value (a mapping; None for no targeting)."""
    if not value:
        return EVERYONE
    store_id = value.get("near_store")
    if store_id is not None:
        centre = store_coordinates(store_id)
        if centre is None:
            return Targeting(reachable=False)
    else:
        centre = (value.get("near_latitude"), value.get("near_longitude"))
    return Targeting(
        include_segments=frozenset(str(pk) for pk in value.get("include_segments") or ()),
        exclude_segments=frozenset(str(pk) for pk in value.get("exclude_segments") or ()),
        conditions=tuple(_conditions(value, centre)),
    )


def _conditions(value, centre):
    places = {field: value.get(field) or "" for field in ("countries", "regions", "cities")}
    if any(text.strip(" ,") for text in places.values()):
        yield "location", RULES["location"].params(places)
    radius_km = value.get("near_radius_km")
    if radius_km is not None and None not in centre:
        latitude, longitude = centre
        yield (
            "near",
            {"place": "", "latitude": latitude, "longitude": longitude, "radius_km": radius_km},
        )
    if value.get("devices"):
        yield "device", RULES["device"].params({"devices": value["devices"]})
    days, from_hour, to_hour = value.get("days"), value.get("from_hour"), value.get("to_hour")
    if days or from_hour is not None:
        yield (
            "local_time",
            RULES["local_time"].params(
                {
                    "days": days,
                    "from_hour": 0 if from_hour is None else from_hour,
                    "to_hour": 24 if to_hour is None else to_hour,
                }
            ),
        )
