from django.utils.cache import patch_cache_control
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page

from omni_plugin.banners.blocks import DynamicBannerBlock
from omni_plugin.conf import omni_settings

#: How long the edge may share a page with anonymous visitors when slots are filled there.
SHARED_PAGE_SECONDS = 300


def page_body():
    return StreamField(
        [
            ("heading", blocks.CharBlock(form_classname="title")),
            ("paragraph", blocks.RichTextBlock()),
            ("image", ImageBlock()),
            ("banner", DynamicBannerBlock()),
        ],
        blank=True,
    )


class SharedAtTheEdge:
    """Pages anonymous visitors share through the edge cache once slots are filled there:
    the page holds nothing of the visitor's, and the edge passes logged-in visitors and
    visitors with a basket on to the shop."""

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if omni_settings.SLOT_RENDER_MODE != "inline" and not request.user.is_authenticated:
            patch_cache_control(response, public=True, s_maxage=SHARED_PAGE_SECONDS)
        return response


class HomePage(SharedAtTheEdge, Page):
    body = page_body()

    content_panels = Page.content_panels + [FieldPanel("body")]
    max_count = 1
    subpage_types = ["cms.ContentPage"]


class ContentPage(SharedAtTheEdge, Page):
    body = page_body()

    content_panels = Page.content_panels + [FieldPanel("body")]
    parent_page_types = ["cms.HomePage", "cms.ContentPage"]
