"""The shop's shipping methods: Oscar's free delivery, and click and collect."""

from oscar.apps.shipping import repository

from omni_plugin.stores.shipping import ClickAndCollectRepositoryMixin


class Repository(ClickAndCollectRepositoryMixin, repository.Repository):
    """Free delivery, and Click & collect when a store can hand the basket over."""
