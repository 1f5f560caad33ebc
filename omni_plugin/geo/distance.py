"""Distances on the Earth's surface, and the nearest of a list of places."""

import heapq
import math

EARTH_RADIUS_KM = 6371.0088


def haversine_km(origin, destination):
    """Great-circle distance in kilometres between two (latitude, longitude) pairs."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*origin, *destination))
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def nearest(origin, places, n=1, coordinates=lambda place: place.coordinates):
    """The ``n`` places closest to ``origin``, as (distance in km, place), nearest first.

    ``coordinates(place)`` gives a place's (latitude, longitude); places without them
    (None) are left out.
    """
    located = ((coordinates(place), place) for place in places)
    with_distance = (
        (haversine_km(origin, point), index, place)
        for index, (point, place) in enumerate(located)
        if point is not None
    )
    return [(distance, place) for distance, _, place in heapq.nsmallest(n, with_distance)]
