"""The shop's stock and price strategy: online sales from the warehouse, stock per store."""

from stores.strategy import Selector  # noqa: F401
