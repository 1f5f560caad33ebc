"""Who may call the POS API: one key per store or till, kept as a hash, limited by scopes
and by a rate, every call logged with its key."""

import hashlib

import pytest
from django.test import Client, override_settings

from omni_plugin.pos.keys import revoke
from omni_plugin.pos.models import PosApiKey, PosCall
from tests.pos.factories import API, Till, till_of

pytestmark = pytest.mark.django_db


def test_a_key_answers_with_its_store_till_and_scopes(store):
    till = till_of(store, scopes=["customers:read", "pickups"], till="Till 2")

    response = till.get("")

    assert response.status_code == 200
    assert response.json() == {
        "store": {"code": "MAN-01", "name": "Oscar Omni Manchester"},
        "till": "Till 2",
        "scopes": ["customers:read", "pickups"],
    }


def test_only_a_hash_of_the_key_is_kept(store):
    till = till_of(store)

    record = PosApiKey.objects.get()
    assert till.key.startswith(record.prefix + ".")
    assert record.hashed_secret == hashlib.sha256(till.key.encode()).hexdigest()
    assert till.key.split(".", 1)[1] not in str(PosApiKey.objects.values().get())


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer pos_00000000.made-up", "Token abc", "Bearer a b"],
)
def test_a_call_without_a_valid_key_is_unauthorised(store, authorization):
    till_of(store)
    headers = {"Authorization": authorization} if authorization else {}

    response = Client(headers=headers).get(API)

    assert response.status_code == 401
    assert response.json()["detail"]
    assert response["WWW-Authenticate"] == 'Bearer realm="pos"'


def test_a_key_with_the_secret_changed_is_unauthorised(store):
    till = till_of(store)

    response = Till(till.key[:-2] + "xx").get("")

    assert response.status_code == 401
    assert response.json() == {"detail": "This API key is not known."}


def test_a_revoked_key_stops_working_at_once(store):
    till = till_of(store)
    assert till.get("").status_code == 200

    revoke(PosApiKey.objects.get())

    response = till.get("")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("This API key was revoked on ")


def test_a_key_without_the_scope_is_forbidden_and_changes_nothing(store):
    till = till_of(store, scopes=["customers:read"])

    response = till.post("stock/", {"items": [{"product": 1, "level": 3}]})

    assert response.status_code == 403
    assert response.json() == {
        "detail": "This key may not report stock: it needs the scope “stock:write”."
    }


@override_settings(OMNI_POS_THROTTLE_RATE="3/min")
def test_a_key_over_its_rate_is_told_to_wait(store):
    till, other = till_of(store), till_of(store)
    assert [till.get("").status_code for _ in range(3)] == [200, 200, 200]

    response = till.get("")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert other.get("").status_code == 200  # each key has its own rate


def test_a_call_that_cannot_be_answered_in_json_is_refused_and_logged(store):
    response = Client(headers={"Authorization": "Bearer made-up", "Accept": "text/html"}).get(API)

    assert response.status_code == 406
    assert PosCall.objects.get().key is None


def test_every_call_is_logged_with_its_key_and_nothing_personal(store):
    till = till_of(store)
    till.post("customers/lookup/", {"email": "ada@example.com"})
    Client().get(API)

    calls = list(PosCall.objects.order_by("id").values("key", "method", "path", "status"))
    key = PosApiKey.objects.get()
    assert calls == [
        {"key": key.pk, "method": "POST", "path": "/omni/pos/v1/customers/lookup/", "status": 404},
        {"key": None, "method": "GET", "path": "/omni/pos/v1/", "status": 401},
    ]
    assert "ada" not in str(list(PosCall.objects.values()))
    assert key.last_used_at is not None
