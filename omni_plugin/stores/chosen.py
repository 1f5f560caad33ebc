"""The store a visitor chose, remembered in their profile.

Choosing records a ``store_chosen`` event ``{"store": code}``; ``fold_store_chosen`` keeps
the latest choice in the snapshot as ``store`` (the code) and ``store_at`` (when).
"""

from omni_plugin.core.events import record

STORE_CHOSEN = "store_chosen"


def remember_store(request, store):
    """Record that the request's visitor chose ``store``; None when the visitor is not tracked."""
    return record(STORE_CHOSEN, request=request, data={"store": store.code})


def chosen_store_code(request):
    """The code of the store the visitor chose, or None."""
    omni = getattr(request, "omni", None)  # absent while OMNI_ENABLED is False
    profile = omni.profile if omni is not None else None
    return profile.snapshot.get("store") if profile is not None else None


def fold_store_chosen(snapshot, event):
    """Keep the visitor's latest choice of store in ``snapshot["store"]``."""
    if event.kind != STORE_CHOSEN:
        return
    code = event.data.get("store")
    if not code:
        return  # an erased profile's event, anonymised
    at = event.occurred_at.isoformat()
    if snapshot.get("store_at", "") > at:
        return  # a later choice is already in force
    snapshot["store"] = code
    snapshot["store_at"] = at
