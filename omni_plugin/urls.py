"""The plugin's URLs; a shop mounts them once: ``path("omni/", include("omni_plugin.urls"))``."""

from django.apps import apps
from django.urls import include, path

from . import beacon, views

app_name = "omni"

urlpatterns = [
    path("health/", views.health, name="health"),
    path("beacon/", beacon.beacon, name="beacon"),
    path("account/", include("omni_plugin.privacy.urls")),
    path("segments/", include("personalization.urls")),
]
if apps.is_installed("wagtail"):  # banners are Wagtail snippets; omni.E002 explains otherwise
    urlpatterns.append(path("banners/", include("banners.urls")))
if apps.is_installed("push"):  # without it, omni.E003 explains instead of an import error
    urlpatterns.append(path("push/", include("push.urls")))
