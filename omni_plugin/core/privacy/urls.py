"""The privacy pages of a customer's account, mounted under ``account/`` by
``omni_plugin.urls``."""

from django.contrib.auth.decorators import login_required
from django.urls import path

from . import views

urlpatterns = [
    path("privacy/", login_required(views.PrivacyView.as_view()), name="privacy"),
    path(
        "privacy/channel/",
        login_required(views.PreferredChannelView.as_view()),
        name="privacy-channel",
    ),
    path(
        "privacy/download/",
        login_required(views.DownloadView.as_view()),
        name="privacy-download",
    ),
    path("privacy/erase/", login_required(views.EraseView.as_view()), name="privacy-erase"),
]
