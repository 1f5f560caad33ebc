"""Mounted by the plugin's URLs under ``banners/``."""

from django.urls import path

from . import views

urlpatterns = [
    path("click/<str:token>/", views.banner_click, name="banner_click"),
]
