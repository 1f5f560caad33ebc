"""What a key may do: each view names the scope it needs."""

from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission

from omni_plugin.pos.models import PosApiKey

Scope = PosApiKey.Scope


class HasScope(BasePermission):
    """A valid key holding the view's ``required_scope`` (any valid key when it is None)."""

    def has_permission(self, request, view):
        key = request.auth
        if not isinstance(key, PosApiKey):
            return False  # DRF answers 401: no key was given
        scope = view.required_scope
        if scope is None or scope in key.scopes:
            return True
        self.message = _("This key may not %(what)s: it needs the scope “%(scope)s”.") % {
            "what": Scope(scope).label.lower(),
            "scope": scope,
        }
        return False
