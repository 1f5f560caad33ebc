"""The visitor id: a random id in a signed, first-party, HttpOnly, SameSite=Lax cookie."""

import re
import uuid

from django.conf import settings

from omni_plugin.conf import omni_settings

SALT = "omni_plugin.visitor"
VISITOR_ID = re.compile(r"^[0-9a-f]{32}$")


def new_visitor_id():
    return uuid.uuid4().hex


def read_visitor_id(request):
    """The id from the request's cookie, or None when it is absent, tampered or malformed."""
    value = request.get_signed_cookie(
        omni_settings.VISITOR_COOKIE_NAME,
        default=None,
        salt=SALT,
        max_age=omni_settings.VISITOR_COOKIE_AGE,
    )
    return value if value and VISITOR_ID.match(value) else None


def set_visitor_cookie(response, visitor_id):
    response.set_signed_cookie(
        omni_settings.VISITOR_COOKIE_NAME,
        visitor_id,
        salt=SALT,
        max_age=omni_settings.VISITOR_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
