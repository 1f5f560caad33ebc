from django.urls import path

from . import admin_views

urlpatterns = [
    path("preview/stop/", admin_views.stop_preview, name="stop_segment_preview"),
]
