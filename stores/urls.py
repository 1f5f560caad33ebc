from django.urls import path

from . import availability_views, checkout_views, views

urlpatterns = [
    path("", views.store_locator, name="store_locator"),
    path(
        "availability/<int:product_id>/",
        availability_views.store_availability,
        name="store_availability",
    ),
    path("choose/", availability_views.choose_store, name="store_choose"),
    path("collect/", checkout_views.ChooseStoreView.as_view(), name="checkout_store"),
]
