"""Banners, slots and their figures.

They are built on Wagtail's models: without Wagtail installed they cannot be defined, and
system check omni.E002 says what is missing instead of an import error.
"""

from django.apps import apps

if apps.is_installed("wagtail"):
    from .banners import HOLDOUT, AttributedOrder, Banner, BannerStat, Slot, SlotBanner

    __all__ = ["HOLDOUT", "AttributedOrder", "Banner", "BannerStat", "Slot", "SlotBanner"]
