from omni_plugin.conf import omni_settings

from .context import OmniRequest, current_request


class OmniMiddleware:
    """Gives every request ``request.omni``: the visitor, their profile and their events.

    It belongs after Django's ``SessionMiddleware`` and ``AuthenticationMiddleware``:
    it reads the session and the user they set up (the system checks enforce it).
    The visitor's events are written after the view has run, in one go.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not omni_settings.ENABLED:
            return self.get_response(request)
        request.omni = OmniRequest(request)
        request.omni.note_arrival()
        token = current_request.set(request)
        try:
            response = self.get_response(request)
            request.omni.finish(response)
        finally:
            current_request.reset(token)
        return response
