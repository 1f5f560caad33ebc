"""The customer's "In store" account page, mounted under ``account/`` by ``omni_plugin.urls``."""

from django.contrib.auth.decorators import login_required
from django.urls import path

from .store_code import StoreCodeView

urlpatterns = [
    path("store-code/", login_required(StoreCodeView.as_view()), name="store-code"),
]
