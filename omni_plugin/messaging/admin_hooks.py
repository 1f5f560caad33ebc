from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .admin_panels import MessagesPanel
from .journeys.viewsets import journey_viewset

register_snippet(journey_viewset)


@hooks.register("construct_omni_profile_panels")
def add_messages_panel(request, profile, panels):
    panels.append(MessagesPanel(profile))
