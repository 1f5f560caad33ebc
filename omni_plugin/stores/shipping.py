"""Click and collect as an Oscar shipping method.

A shop offers it from its forked ``shipping`` app, in ``shipping/repository.py``::

    from oscar.apps.shipping import repository
    from omni_plugin.stores.shipping import ClickAndCollectRepositoryMixin


    class Repository(ClickAndCollectRepositoryMixin, repository.Repository):
        pass
"""

from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping.methods import Free

from omni_plugin.conf import omni_settings

from .pickup import supplying_stores

CLICK_AND_COLLECT = "click-and-collect"


class ClickAndCollect(Free):
    """Free collection of the order at a store the customer chooses."""

    code = CLICK_AND_COLLECT
    name = _("Click & collect")
    description = _("Collect your order from one of our stores, free of charge.")


class ClickAndCollectRepositoryMixin:
    """Shipping repository mixin: adds Click & collect when a store can hand the basket over,
    while the plugin is on (``OMNI_ENABLED``)."""

    def get_available_shipping_methods(self, basket, shipping_addr=None, **kwargs):
        methods = list(super().get_available_shipping_methods(basket, shipping_addr, **kwargs))
        if omni_settings.ENABLED and supplying_stores(basket):
            methods.append(ClickAndCollect())
        return methods


def is_click_and_collect(method):
    return method is not None and method.code == CLICK_AND_COLLECT
