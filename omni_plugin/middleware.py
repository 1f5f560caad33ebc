from .conf import omni_settings
from .context import OmniRequest


class OmniMiddleware:
    """Attaches ``request.omni`` to every request while the plugin is enabled.

    It belongs after Django's ``SessionMiddleware`` and ``AuthenticationMiddleware``:
    it reads the session and the user they set up (the system checks enforce it).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if omni_settings.ENABLED:
            request.omni = OmniRequest(request)
        return self.get_response(request)
