"""System checks of the geo settings."""

from pathlib import Path

import maxminddb
from django.core.checks import Warning

from omni_plugin.conf import SETTINGS, omni_settings

from .lookup import open_reader


def check_geoip_database(app_configs, **kwargs):
    path = omni_settings.GEOIP_PATH
    if path is None or SETTINGS["GEOIP_PATH"].validate(path):
        return []  # unset on purpose, or check_settings reports it
    if not Path(path).is_file():
        problem = "does not exist"
    else:
        try:
            open_reader(path).close()
            return []
        except (OSError, ValueError, maxminddb.InvalidDatabaseError):
            problem = "is not a GeoIP2 database"
    return [
        Warning(
            f"OMNI_GEOIP_PATH names a file that {problem} ({path}), so every visitor's "
            "location is unknown: point it at a GeoIP2 or GeoLite2 City database.",
            id="omni.W012",
        )
    ]
