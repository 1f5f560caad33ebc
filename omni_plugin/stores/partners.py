"""Which Oscar partners are stores, known without a query on most requests."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from omni_plugin.core.compiled_cache import CompiledCache


def _store_partner_ids():
    from .models import Store

    return frozenset(Store.objects.values_list("partner_id", flat=True))


_store_partners = CompiledCache("store_partners", _store_partner_ids)


def store_partner_ids():
    """The ids of the partners that belong to a store, active or not."""
    return _store_partners.get()


def forget_store_partners(**kwargs):
    _store_partners.forget()
    transaction.on_commit(_store_partners.forget)  # a reader may have cached the old ones


def connect_receivers():
    """Forget the store partners whenever a store is saved (its partner may change) or deleted."""
    for signal in (post_save, post_delete):
        signal.connect(forget_store_partners, sender="omni_stores.Store", weak=False)
