from django.urls import path

from . import views

urlpatterns = [
    path("", views.store_locator, name="store_locator"),
]
