"""Back-in-stock and price drop alerts: a visitor asks, stock or a price changes, the
alert fires once through the messaging layer, after the change is committed.

``asking`` takes a visitor's request (push, email with double opt-in for anonymous
visitors, the on-site notice; online or at one store), ``receivers`` notice stock rises
and price cuts and follow profiles through merges, ``dispatch`` re-checks and sends,
``oscar_alerts`` serves Oscar's own ``ProductAlert`` when the plugin takes over, and
``cleanup`` removes what was never confirmed. docs/alerts.md has the rest.
"""
