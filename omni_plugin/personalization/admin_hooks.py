from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .choosers import category_chooser_viewset, product_chooser_viewset
from .panels import SegmentsProfilePanel
from .viewsets import segment_viewset

register_snippet(segment_viewset)


@hooks.register("register_admin_viewset")
def register_choosers():
    return [product_chooser_viewset, category_chooser_viewset]


@hooks.register("construct_omni_profile_panels")
def add_segments_panel(request, profile, panels):
    panels.append(SegmentsProfilePanel(profile))
