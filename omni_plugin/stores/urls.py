from django.urls import path

from . import availability_views, checkout_views, views
from .alerts import views as alert_views

urlpatterns = [
    path("", views.store_locator, name="store_locator"),
    path(
        "availability/<int:product_id>/",
        availability_views.store_availability,
        name="store_availability",
    ),
    path("choose/", availability_views.choose_store, name="store_choose"),
    path("collect/", checkout_views.ChooseStoreView.as_view(), name="checkout_store"),
    path("alerts/", alert_views.my_alerts, name="stock_alerts"),
    path("alerts/ask/<int:product_id>/", alert_views.ask_for_alert, name="stock_alert_ask"),
    path("alerts/<str:key>/confirm/", alert_views.confirm_alert, name="stock_alert_confirm"),
    path("alerts/<str:key>/cancel/", alert_views.cancel_alert, name="stock_alert_cancel"),
]
