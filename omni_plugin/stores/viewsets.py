"""Stores in the Wagtail admin: a snippet with its opening hours and exceptions inline."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.views.snippets import SnippetViewSet

from .forms import StoreForm
from .models import Store


class StoreViewSet(SnippetViewSet):
    model = Store
    icon = "home"
    menu_label = _("Stores")
    menu_order = 290
    add_to_admin_menu = True
    list_display = [
        "name",
        Column("code", label=_("Code")),
        Column("city", label=_("City")),
        BooleanColumn("active", label=_("Active")),
        BooleanColumn("pickup_enabled", label=_("Click and collect")),
    ]
    list_filter = ["active", "pickup_enabled"]
    search_fields = ["name", "code", "city"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("name"),
                    FieldPanel("code"),
                    FieldPanel("active"),
                    FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                ],
                heading=_("Store"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("line1"),
                    FieldPanel("line2"),
                    FieldRowPanel([FieldPanel("city"), FieldPanel("state")]),
                    FieldRowPanel([FieldPanel("postcode"), FieldPanel("country")]),
                    FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                    FieldPanel("time_zone"),
                ],
                heading=_("Address and location"),
            ),
            InlinePanel(
                "opening_hours",
                panels=[
                    FieldRowPanel(
                        [
                            FieldPanel("weekday"),
                            FieldPanel("opens"),
                            FieldPanel("closes"),
                            FieldPanel("overnight"),
                        ]
                    )
                ],
                heading=_("Opening hours"),
                label=_("Opening hours"),
            ),
            InlinePanel(
                "exceptions",
                panels=[
                    FieldRowPanel([FieldPanel("date"), FieldPanel("closed")]),
                    FieldRowPanel(
                        [FieldPanel("opens"), FieldPanel("closes"), FieldPanel("overnight")]
                    ),
                    FieldPanel("note"),
                ],
                heading=_("Exceptions"),
                label=_("Exception"),
                help_text=_(
                    "A date listed here keeps only the hours given here, or none if closed."
                ),
            ),
            MultiFieldPanel(
                [FieldPanel("pickup_enabled"), FieldPanel("partner")],
                heading=_("Click & collect"),
            ),
        ],
        base_form_class=StoreForm,
    )


store_viewset = StoreViewSet()
