"""The coarse location of a request: what the rest of the plugin knows about where a visitor is."""

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class GeoContext:
    """Country (ISO 3166-1 alpha-2), region, city, time zone and coordinates; "" when unknown."""

    country: str = ""
    region: str = ""
    city: str = ""
    time_zone: str = ""
    latitude: float | None = None
    longitude: float | None = None
    accuracy_km: int | None = None

    @property
    def known(self):
        return bool(self.country)

    @property
    def coordinates(self):
        if self.latitude is None or self.longitude is None:
            return None
        return self.latitude, self.longitude

    def coarse(self):
        """What a profile keeps: the place names and time zone, no coordinates."""
        values = asdict(self)
        return {key: values[key] for key in ("country", "region", "city", "time_zone")}


UNKNOWN = GeoContext()
