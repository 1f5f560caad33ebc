"""Mounted by the plugin's URLs under ``banners/``."""

from django.urls import path

from . import fragment_views, shown, views

urlpatterns = [
    path("click/<str:token>/", views.banner_click, name="banner_click"),
    path("fragment/slot/<slug:key>/", fragment_views.slot_fragment, name="banner_slot_fragment"),
    path(
        "fragment/banner/<int:banner_id>/", fragment_views.banner_fragment, name="banner_fragment"
    ),
    # The same views, for slots of visitor-specific products: the edge passes these on
    # with the visitor's cookies, as any page of theirs, and caches nothing.
    path("personal/slot/<slug:key>/", fragment_views.slot_fragment, name="banner_slot_personal"),
    path(
        "personal/banner/<int:banner_id>/", fragment_views.banner_fragment, name="banner_personal"
    ),
    path("shown/", shown.banners_shown, name="banners_shown"),
]
