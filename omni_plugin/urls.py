"""The plugin's URLs; a shop mounts them once: ``path("omni/", include("omni_plugin.urls"))``,
and adds ``root_urlpatterns``, the few that must sit at the site's root, to its own:
``urlpatterns = [*root_urlpatterns, path("omni/", include("omni_plugin.urls")), ...]``.
"""

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
# Banners, stores and push campaigns are Wagtail models, and stores and push may be left out:
# omni.E002 and omni.E003 explain what is missing instead of an import error.
WITH_PUSH = apps.is_installed("wagtail") and apps.is_installed("push")
WITH_STORES = apps.is_installed("wagtail") and apps.is_installed("stores")
if apps.is_installed("wagtail"):
    urlpatterns.append(path("banners/", include("banners.urls")))
if WITH_STORES:
    urlpatterns.append(path("stores/", include("stores.urls")))
    urlpatterns.append(path("pos/v1/", include("omni_plugin.pos.urls")))
if WITH_PUSH:
    urlpatterns.append(path("push/", include("push.urls")))

#: URLs at the site's root: the push service worker, whose scope can only be the whole site
#: when it is served from there.
root_urlpatterns = []
if WITH_PUSH:
    from push.views import service_worker

    root_urlpatterns.append(
        path("omni-push-sw.js", service_worker, name="omni_push_service_worker")
    )
