"""The example till in docs/pos/ works against a running shop: it sells, keeps what it
could not send, replays its queue, and reports stock."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from omni_plugin.pos.models import StoreOrder
from tests.pos.factories import manchester_store, till_of
from tests.stores.factories import store_stock

CLIENT = Path(__file__).resolve().parents[2] / "docs" / "pos" / "pos_client.py"


@pytest.fixture
def run_till(live_server, tmp_path, product):
    store = manchester_store()
    environment = {
        **os.environ,
        "OMNI_POS_URL": f"{live_server.url}/omni/pos/v1/",
        "OMNI_POS_KEY": till_of(store).key,
        "OMNI_POS_QUEUE": str(tmp_path / "queue.json"),
    }

    def run(*arguments, url=None):
        env = {**environment, "OMNI_POS_URL": url} if url else environment
        done = subprocess.run(
            [sys.executable, CLIENT, *arguments], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    run.store = store
    run.queue = tmp_path / "queue.json"
    return run


@pytest.mark.django_db(transaction=True)
def test_the_example_till_queues_replays_and_reports(run_till, product):
    record = store_stock(product, run_till.store, 5)
    sku = record.partner_sku

    offline = run_till("sell", "--sku", sku, "--price", "12.50", url="http://127.0.0.1:9/pos/")
    assert "1 sales wait" in offline
    assert run_till("sell", "--sku", sku, "--price", "12.50", "--quantity", "2") == (
        "2 recorded, 0 recorded before.\n"
    )
    assert run_till.queue.read_text().strip() == "[]"
    assert StoreOrder.objects.count() == 2

    assert run_till("stock", "--sku", sku, "--level", "8") == f"{sku}: 5 -> 8\n"
