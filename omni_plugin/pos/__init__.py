"""The POS API: the stores' tills share the web shop's customer profile.

A Django REST framework API under ``omni:pos`` (``/omni/pos/v1/``), authenticated by one
key per store or till (``keys``), limited by scopes (``scopes``) and a rate per key
(``throttling``), with every call logged (``calls``). docs/pos.md describes it.
"""
