from django.apps import apps
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from omni_plugin.urls import root_urlpatterns as omni_root_urlpatterns

urlpatterns = [
    *omni_root_urlpatterns,  # the push service worker, at /omni-push-sw.js
    path("django-admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),  # Oscar's language switcher
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("omni/", include("omni_plugin.urls")),
    path("shop/", include(apps.get_app_config("oscar").urls[0])),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every other path (the home page and content pages), so it comes last.
urlpatterns += [path("", include(wagtail_urls))]
