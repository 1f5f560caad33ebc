"""Staff make a till's key in the Wagtail admin, see it once, and revoke it there."""

import re

import pytest

from omni_plugin.pos.models import PosApiKey
from tests.conftest import admin_browser
from tests.pos.factories import Till, manchester_store

pytestmark = pytest.mark.django_db
KEYS = "/cms/pos-keys/"


@pytest.fixture
def staff():
    return admin_browser("staff", is_staff=True, is_superuser=True)


def test_a_key_is_shown_once_when_made_and_works_until_revoked(staff):
    store = manchester_store()

    made = staff.post(
        KEYS + "new/",
        {"store": store.pk, "till": "Till 1", "scopes": ["customers:read", "pickups"]},
    )

    assert made.status_code == 200
    key = re.search(r'<code id="pos-key">([^<]+)</code>', made.content.decode()).group(1)
    record = PosApiKey.objects.get()
    assert (record.store, record.till, record.scopes) == (
        store,
        "Till 1",
        ["customers:read", "pickups"],
    )
    listing, inspected = staff.get(KEYS), staff.get(f"{KEYS}{record.pk}/")
    assert listing.status_code == inspected.status_code == 200
    assert (
        record.prefix in listing.content.decode()
        and f"{record.pk}/revoke/" in listing.content.decode()
    )
    assert key not in listing.content.decode() and key not in inspected.content.decode()
    assert Till(key).get("").status_code == 200

    assert staff.get(f"{KEYS}{record.pk}/revoke/").status_code == 200
    revoked = staff.post(f"{KEYS}{record.pk}/revoke/", follow=True)

    assert "is revoked" in revoked.content.decode()
    assert Till(key).get("").status_code == 401


def test_a_key_without_scopes_is_not_made(staff):
    store = manchester_store()

    response = staff.post(KEYS + "new/", {"store": store.pk, "till": "", "scopes": []})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not PosApiKey.objects.exists()
