"""Signals the plugin sends, for apps that keep data of their own about a profile."""

from django.dispatch import Signal

#: Sent inside an erasure's transaction with ``profile_ids``: the erased profile and every
#: profile merged into it. Receivers delete what they keep about those people.
profile_erased = Signal()
