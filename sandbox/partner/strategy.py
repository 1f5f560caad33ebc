"""The shop's stock and price strategy: online sales from the warehouse, stock per store."""

from omni_plugin.stores.strategy import Selector  # noqa: F401
