"""Signals the push app sends."""

from django.dispatch import Signal

#: Sent after a sending batch has written its outcomes, with ``keys``: the keys of the
#: triggered pushes (``omni_plugin.push.messages.notify``) in it that reached an end (delivered,
#: expired, failed or skipped). A sender learns there what became of its pushes.
deliveries_settled = Signal()
