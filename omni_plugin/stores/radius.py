"""Targeting "within R km of a store, or of a point", shared by banners and campaigns."""

from django.utils.translation import gettext as _


def near_problem(store_id, latitude, longitude, radius_km):
    """What is wrong with a radius's centre and size, in one sentence; None when right."""
    point = [latitude, longitude]
    has_point = point != [None, None]
    if has_point and None in point:
        return _("Give both the latitude and the longitude of the point.")
    if has_point and store_id is not None:
        return _("Choose a store or give a point, not both.")
    if (has_point or store_id is not None) != (radius_km is not None):
        return _("Give a radius with a store or a point, or none of them.")
    return None


def store_coordinates(store_id):
    """The active store's ``(latitude, longitude)``; None once it is closed down or deleted."""
    from .models import Store

    return (
        Store.objects.filter(pk=store_id, active=True).values_list("latitude", "longitude").first()
    )
