"""The POS API's URLs, mounted by ``omni_plugin.urls`` at ``pos/v1/`` (namespace ``pos``)."""

from django.urls import path

from . import views
from .schema import schema_view

app_name = "pos"

api_urlpatterns = [
    path("", views.KeyView.as_view(), name="root"),
    path("customers/", views.CustomerEnrolmentView.as_view(), name="customers"),
    path("customers/lookup/", views.CustomerLookupView.as_view(), name="customer_lookup"),
    path("orders/", views.OrderView.as_view(), name="orders"),
    path("orders/batch/", views.OrderBatchView.as_view(), name="order_batch"),
    path("stock/", views.StockView.as_view(), name="stock"),
    path("pickups/", views.PickupListView.as_view(), name="pickups"),
    path("pickups/<str:number>/ready/", views.PickupReadyView.as_view(), name="pickup_ready"),
    path(
        "pickups/<str:number>/collected/",
        views.PickupCollectedView.as_view(),
        name="pickup_collected",
    ),
    path(
        "pickups/<str:number>/returned/",
        views.PickupReturnedView.as_view(),
        name="pickup_returned",
    ),
]

urlpatterns = [*api_urlpatterns, path("schema/", schema_view, name="schema")]
