"""The geo context of one request: debug location, client address, CDN country, database."""

from django.conf import settings

from omni_plugin.conf import omni_settings

from .cdn import cdn_country
from .client_ip import client_ip
from .context import UNKNOWN, GeoContext
from .lookup import lookup


def geo_for_request(request):
    """A ``GeoContext`` for the request; the raw address is used here and kept nowhere."""
    if settings.DEBUG and omni_settings.DEBUG_LOCATION:
        return lookup(omni_settings.DEBUG_LOCATION)
    address = client_ip(request)
    located = lookup(str(address)) if address is not None else UNKNOWN
    country = cdn_country(request)
    if not country or country == located.country:
        return located
    # The CDN knows better; the database's city and region belong to another country.
    return GeoContext(country=country)
