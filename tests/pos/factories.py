"""The POS API for tests: a store, its keys, and a till that calls the API with one."""

import json

from django.test import Client

from omni_plugin.pos.keys import issue_key
from omni_plugin.pos.models import PosApiKey
from tests.stores.factories import create_store

API = "/omni/pos/v1/"
ALL_SCOPES = PosApiKey.Scope.values


def manchester_store(**fields):
    return create_store("Oscar Omni Manchester", "MAN-01", 53.4794, -2.2453, **fields)


def london_store(**fields):
    return create_store("Oscar Omni London", "LON-01", 51.5072, -0.1276, **fields)


class Till:
    """A till calling the POS API with its key: ``till.post("orders/", {...})``."""

    def __init__(self, key):
        self.key = key
        self.client = Client(headers={"Authorization": f"Bearer {key}"})

    def get(self, path, **query):
        return self.client.get(API + path, query)

    def post(self, path, body=None):
        return self.client.post(API + path, json.dumps(body or {}), content_type="application/json")


def till_of(store, scopes=ALL_SCOPES, till=""):
    _record, key = issue_key(store, scopes=scopes, till=till)
    return Till(key)
