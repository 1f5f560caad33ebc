"""Mounted by the plugin's URLs under ``push/``."""

from django.urls import path

from . import views

urlpatterns = [
    path("subscribe/", views.push_subscribe, name="push_subscribe"),
    path("unsubscribe/", views.push_unsubscribe, name="push_unsubscribe"),
    path("resubscribe/", views.push_resubscribe, name="push_resubscribe"),
    path("receipts/", views.push_receipt, name="push_receipt"),
    path("config/", views.push_config, name="push_config"),
]
