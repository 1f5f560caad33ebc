"""The plugin's URLs; a shop mounts them once: ``path("omni/", include("omni_plugin.urls"))``."""

from django.urls import path

from . import views

app_name = "omni"

urlpatterns = [
    path("health/", views.health, name="health"),
]
