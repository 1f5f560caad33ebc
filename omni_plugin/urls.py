"""The plugin's URLs; a shop mounts them once: ``path("omni/", include("omni_plugin.urls"))``,
and adds ``root_urlpatterns``, the few that must sit at the site's root, to its own:
``urlpatterns = [*root_urlpatterns, path("omni/", include("omni_plugin.urls")), ...]``.

With an app missing from ``INSTALLED_APPS`` none is mounted: check omni.E003 says what is
missing instead of an import error.
"""

from django.urls import include, path

from .wiring import everything_installed

app_name = "omni"

urlpatterns = []
#: URLs at the site's root: the push service worker, whose scope can only be the whole site
#: when it is served from there.
root_urlpatterns = []

if everything_installed():
    from .core import beacon, views
    from .push.views import service_worker

    urlpatterns += [
        path("health/", views.health, name="health"),
        path("beacon/", beacon.beacon, name="beacon"),
        path("account/", include("omni_plugin.core.privacy.urls")),
        path("account/", include("omni_plugin.pos.account_urls")),
        path("segments/", include("omni_plugin.personalization.urls")),
        path("banners/", include("omni_plugin.banners.urls")),
        path("stores/", include("omni_plugin.stores.urls")),
        path("push/", include("omni_plugin.push.urls")),
        path("pos/v1/", include("omni_plugin.pos.urls")),
    ]
    root_urlpatterns.append(
        path("omni-push-sw.js", service_worker, name="omni_push_service_worker")
    )
