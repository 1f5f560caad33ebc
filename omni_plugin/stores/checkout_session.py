"""The store chosen for click and collect, kept in Oscar's checkout session."""

from oscar.core.loading import get_model


class PickupSession:
    """The click and collect part of Oscar's ``CheckoutSessionData``, in its own namespace."""

    namespace = "click_and_collect"

    def __init__(self, checkout_session):
        self.checkout_session = checkout_session

    def collect_at(self, store):
        self.checkout_session._set(self.namespace, "store_id", store.pk)

    def store(self):
        """The chosen store, or None when none was chosen or it no longer exists."""
        store_id = self.checkout_session._get(self.namespace, "store_id")
        if store_id is None:
            return None
        return (
            get_model("omni_stores", "Store")
            .objects.filter(pk=store_id)
            .prefetch_related("opening_hours", "exceptions")
            .first()
        )
