"""The steps of ``manage.py omni_demo``, in order: later steps use what earlier ones made."""

from . import (
    banners,
    campaigns,
    catalogue,
    customers,
    geoip,
    journeys,
    orders,
    pages,
    recommendations,
    search_index,
    segments,
    shipping,
    stores,
)

DEMO_STEPS = (
    ("Shipping countries", shipping.create_shipping_countries),
    ("Catalogue", catalogue.create_catalogue),
    ("Search index", search_index.index_catalogue),
    ("Pages", pages.create_pages),
    ("Users", customers.create_users),
    ("Past orders", orders.create_past_orders),
    ("GeoIP database", geoip.create_demo_geoip_database),
    ("Recommendation model", recommendations.build_recommendation_model),
    ("Segments", segments.create_segments),
    ("Banners", banners.create_banners),
    ("Stores", stores.create_stores),
    ("Push campaigns", campaigns.create_campaigns),
    ("Journeys", journeys.create_journeys),
)
