"""Who is calling: the till whose key is in ``Authorization: Bearer <key>``."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from .keys import find_key

KEYWORD = b"bearer"


class ApiKeyAuthentication(BaseAuthentication):
    """``request.auth`` is the caller's ``PosApiKey``.

    ``request.user`` stays anonymous: a till is not a user of the shop, and the shop's
    middleware reads ``request.user`` as one.
    """

    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != KEYWORD:
            return None
        if len(words) != 2:
            raise AuthenticationFailed(_("Send the key as “Authorization: Bearer <key>”."))
        key = find_key(words[1].decode("latin-1"))
        if key is None:
            raise AuthenticationFailed(_("This API key is not known."))
        if key.revoked_at is not None:
            raise AuthenticationFailed(
                _("This API key was revoked on %(date)s.")
                % {"date": key.revoked_at.strftime("%Y-%m-%d")}
            )
        return AnonymousUser(), key

    def authenticate_header(self, request):
        return 'Bearer realm="pos"'
