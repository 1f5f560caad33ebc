from django.conf import settings

from .conf import omni_settings


def untracked_path_prefixes():
    """Paths the plugin leaves alone: static and media files, and OMNI_UNTRACKED_PATHS."""
    served_files = (
        url for url in (settings.STATIC_URL, settings.MEDIA_URL) if url and url.startswith("/")
    )
    return (*served_files, *omni_settings.UNTRACKED_PATHS)


class OmniRequest:
    """The plugin's view of one request, available as ``request.omni``."""

    def __init__(self, request):
        self.tracked = not request.path.startswith(untracked_path_prefixes())
