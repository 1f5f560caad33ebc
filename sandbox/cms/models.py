from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page

from banners.blocks import DynamicBannerBlock


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


class HomePage(Page):
    body = page_body()

    content_panels = Page.content_panels + [FieldPanel("body")]
    max_count = 1
    subpage_types = ["cms.ContentPage"]


class ContentPage(Page):
    body = page_body()

    content_panels = Page.content_panels + [FieldPanel("body")]
    parent_page_types = ["cms.HomePage", "cms.ContentPage"]
