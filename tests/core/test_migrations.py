"""A database made by the previous release (0.1.0, before the apps moved under
``omni_plugin``) needs no migration: the same migrations, the same tables."""

from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

PLUGIN_LABELS = ["omni_plugin", "omni_personalization", "omni_stores", "omni_push", "omni_banners"]

RELEASED_MIGRATIONS = {
    ("omni_banners", "0001_initial"),
    ("omni_banners", "0002_attribution"),
    ("omni_banners", "0003_slot_render_mode"),
    ("omni_banners", "0004_store_radius_targeting"),
    ("omni_personalization", "0001_initial"),
    ("omni_plugin", "0001_initial"),
    ("omni_plugin", "0002_message"),
    ("omni_plugin", "0003_journeys"),
    ("omni_plugin", "0004_message_email_types"),
    ("omni_plugin", "0005_pos_api"),
    ("omni_push", "0001_initial"),
    ("omni_push", "0002_campaigns_and_deliveries"),
    ("omni_push", "0003_campaign_store_and_send_permission"),
    ("omni_push", "0004_campaign_fanned_out_at"),
    ("omni_stores", "0001_initial"),
    ("omni_stores", "0002_order_pickup"),
    ("omni_stores", "0003_pickup_returned"),
    ("omni_stores", "0004_stock_alerts"),
}

RELEASED_MODELS = {
    "omni_banners": ["AttributedOrder", "Banner", "BannerStat", "Slot", "SlotBanner"],
    "omni_personalization": [
        "ProductRecommendations",
        "RecommendationModel",
        "Segment",
        "SegmentMembership",
        "TrendingProducts",
    ],
    "omni_plugin": [
        "Consent",
        "Event",
        "Identifier",
        "Journey",
        "JourneyRun",
        "JourneyStep",
        "Merge",
        "Message",
        "PosApiKey",
        "PosCall",
        "PriceDrop",
        "Profile",
        "StockReport",
        "StoreOrder",
        "StoreOrderLine",
        "UsedQrNonce",
    ],
    "omni_push": ["Campaign", "Delivery", "PushSubscription"],
    "omni_stores": ["OpeningException", "OpeningHours", "OrderPickup", "StockAlert", "Store"],
}


def test_the_previous_releases_migrations_are_all_there_are():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    plugin_nodes = {node for node in loader.graph.nodes if node[0].startswith("omni_")}
    assert plugin_nodes == RELEASED_MIGRATIONS


def test_a_database_of_the_previous_release_has_nothing_to_apply(db):
    executor = MigrationExecutor(connection)
    others = {node for node in executor.loader.graph.nodes if not node[0].startswith("omni_")}
    executor.loader.applied_migrations = dict.fromkeys(others | RELEASED_MIGRATIONS)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []


def test_the_models_keep_their_labels_and_tables():
    found = {
        label: sorted(
            model.__name__
            for model in apps.get_models()
            if model._meta.app_label == label and not model._meta.auto_created
        )
        for label in PLUGIN_LABELS
    }
    assert found == RELEASED_MODELS
    for label, names in RELEASED_MODELS.items():
        for name in names:
            assert apps.get_model(label, name)._meta.db_table == f"{label}_{name.lower()}"


def test_the_models_match_their_migrations(db):
    call_command("makemigrations", *PLUGIN_LABELS, "--check", "--dry-run", verbosity=0)
