from django.core import checks
from django.utils.translation import gettext_lazy as _

from omni_plugin import wiring

from . import conf  # noqa: F401  (registers the app's settings)


class StoresConfig(wiring.OmniAppConfig):
    name = "omni_plugin.stores"
    label = "omni_stores"
    verbose_name = _("Stores")

    def wire(self):
        from omni_plugin.core.snapshot import register_fold
        from omni_plugin.messaging.intents import register_intent
        from omni_plugin.messaging.journeys.price_drops import register_shelf_price_partners
        from omni_plugin.messaging.journeys.triggers import register_trigger

        from .alerts.receivers import connect_receivers as connect_alert_receivers
        from .checks import check_pickup_journey
        from .chosen import fold_store_chosen
        from .intents import INTENTS
        from .partners import connect_receivers, store_partner_ids
        from .pickup import connect_receivers as connect_pickup_receivers
        from .pickup_journey import PickupReady

        register_fold(fold_store_chosen)
        connect_receivers()
        connect_pickup_receivers()
        connect_alert_receivers()
        for intent in INTENTS:
            register_intent(intent)
        register_trigger(PickupReady())
        register_shelf_price_partners(store_partner_ids)
        checks.register(check_pickup_journey, checks.Tags.database)
