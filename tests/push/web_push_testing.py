"""web-push-testing, a local push service run by Node, as the browser side of push tests.

    with WebPushTesting() as service:
        subscription = service.create_subscription(application_server_key)
        ...
        service.notifications(subscription)  # the decrypted payloads, oldest first
        service.expire(subscription)         # it answers 410 from now on

It issues subscriptions for an application server key, refuses pushes whose VAPID token is
not signed by that key, decrypts the aes128gcm pushes it accepts and keeps them for the
test to read. It is installed from tests/push/peer/package.json (``npm ci --prefix
tests/push/peer``); its endpoints are ``http://localhost:<port>/notify/<clientHash>``.
"""

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import requests

PEER = Path(__file__).resolve().parent / "peer"
SERVER = PEER / "node_modules" / "web-push-testing" / "src" / "bin" / "server.js"
HOST = "localhost"  # the host web-push-testing writes into its endpoints
START_TIMEOUT = 15


class PeerUnavailable(RuntimeError):
    """web-push-testing cannot run here; the message says how to install it."""


def unavailable_reason():
    """Why web-push-testing cannot run here, or ``""`` when it can."""
    if shutil.which("node") is None:
        return "Node.js is not installed: web-push-testing needs node >= 20."
    if not SERVER.exists():
        return "web-push-testing is not installed: npm ci --prefix tests/push/peer"
    return ""


class WebPushTesting:
    def __init__(self):
        self.port = None
        self._process = None
        self._log = None
        self._http = requests.Session()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def origin(self):
        return f"http://{HOST}:{self.port}"

    def start(self):
        problem = unavailable_reason()
        if problem:
            raise PeerUnavailable(problem)
        self.port = _free_port()
        self._log = tempfile.TemporaryFile()  # a file, not a pipe: a full pipe would stall it
        self._process = subprocess.Popen(
            ["node", str(SERVER), str(self.port)],
            cwd=PEER,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
        )
        self._wait_until_up()

    def stop(self):
        self._http.close()
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
            self._log.close()

    def create_subscription(self, application_server_key):
        """A new subscription, as ``PushSubscription.toJSON()`` gives it, plus its
        ``clientHash``, for pushes signed with the VAPID key ``application_server_key``."""
        return self._post("/subscribe", {"applicationServerKey": application_server_key})

    def notifications(self, subscription):
        """The payloads pushed to ``subscription`` so far, decrypted, oldest first."""
        answer = self._post("/get-notifications", {"clientHash": subscription["clientHash"]})
        return answer["messages"]

    def expire(self, subscription):
        """Make the service answer 410 Gone to pushes to ``subscription`` from now on."""
        response = self._http.post(
            f"{self.origin}/expire-subscription/{subscription['clientHash']}", timeout=5
        )
        response.raise_for_status()

    def _post(self, path, payload):
        response = self._http.post(f"{self.origin}{path}", json=payload, timeout=5)
        if response.status_code != 200:
            raise AssertionError(f"web-push-testing answered {path} with {response.text}")
        return response.json()["data"]

    def _wait_until_up(self):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self._log.seek(0)
                output = self._log.read().decode(errors="replace")[-2000:]
                raise PeerUnavailable(f"web-push-testing exited: {output}")
            try:
                if self._http.post(f"{self.origin}/status", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.05)
        self.stop()
        raise PeerUnavailable(f"web-push-testing did not answer on port {self.port}.")


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
