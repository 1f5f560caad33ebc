"""A push service on 127.0.0.1 that answers as a test scripts it and notes every push.

    with MockPushService(public_key=shop_key) as service:
        endpoint = service.endpoint("alice")
        service.script(endpoint, Reply(429, {"Retry-After": "1"}), Reply(201))
        ...
        [push.received_at for push in service.received(endpoint)]

It serves HTTP/1.1 with keep-alive from an aiohttp server on an event loop of its own, in a
thread. Each endpoint answers the replies scripted for it in turn, then ``Reply(201)`` (or
the ``then`` reply of the script) for ever. Like a real push service it checks the VAPID
``Authorization: vapid t=..., k=...`` header first: a token that is not signed by ``k``, is
meant for another origin (``aud``), has expired, or a ``k`` other than the expected public
key gets 401 and leaves the script alone.

``python -m tests.push.mock_service [--port N]`` serves it in a process of its own, printing
its origin on the first line; ``GET /received`` then answers how many pushes it received,
and the CPU time its process has used so far.
"""

import argparse
import asyncio
import base64
import binascii
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from aiohttp import web
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

#: RFC 8292 §2: push services refuse tokens that expire more than 24 hours ahead.
MAX_TOKEN_LIFETIME = 24 * 60 * 60
PUSH_PATH = "/push/"


@dataclass(frozen=True)
class Reply:
    """One answer: its status and headers, after ``delay`` seconds (longer than the
    sender's timeout to play a push service that does not answer)."""

    status: int = 201
    headers: dict = field(default_factory=dict)
    delay: float = 0.0


@dataclass(frozen=True)
class ReceivedPush:
    path: str
    headers: dict  # header names in lower case
    body_length: int
    received_at: float  # time.monotonic() when the body was read
    status: int  # what the service answered


class MockPushService:
    def __init__(self, public_key=None, port=0, latency=0.0):
        self.public_key = public_key
        self.port = port
        self.latency = latency  # seconds added to every answer: a push service far away
        self._scripts = {}  # path -> (deque of replies, the reply after them)
        self._received = []
        self._verified_tokens = {}  # token -> its claims, once its signature checked out
        self._lock = threading.Lock()
        self._loop = None
        self._thread = None
        self._runner = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def origin(self):
        return f"http://127.0.0.1:{self.port}"

    def endpoint(self, name):
        """The URL of a subscription named ``name`` on this service."""
        return f"{self.origin}{PUSH_PATH}{name}"

    def script(self, endpoint, *replies, then=Reply(201)):
        """Answer pushes to ``endpoint`` with ``replies`` in turn, then with ``then``."""
        with self._lock:
            self._scripts[_path(endpoint)] = (deque(replies), then)

    def received(self, endpoint=None):
        """The pushes received (to ``endpoint``, or to any), oldest first."""
        with self._lock:
            pushes = list(self._received)
        if endpoint is None:
            return pushes
        return [push for push in pushes if push.path == _path(endpoint)]

    def clear(self):
        with self._lock:
            self._received.clear()
            self._scripts.clear()

    def start(self):
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result()

    def stop(self):
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()

    async def _serve(self):
        app = web.Application()
        app.router.add_post(PUSH_PATH + "{name}", self._receive)
        app.router.add_get("/received", self._count)
        self._runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=0.1
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def _receive(self, request):
        body = await request.read()
        received_at = time.monotonic()
        problem = self.vapid_problem(request.headers.get("Authorization", ""))
        reply = Reply(401, delay=0) if problem else self._next_reply(request.path)
        with self._lock:
            self._received.append(
                ReceivedPush(
                    path=request.path,
                    headers={name.lower(): value for name, value in request.headers.items()},
                    body_length=len(body),
                    received_at=received_at,
                    status=reply.status,
                )
            )
        if reply.delay + self.latency:
            await asyncio.sleep(reply.delay + self.latency)
        return web.Response(status=reply.status, headers=reply.headers, text=problem or None)

    async def _count(self, request):
        with self._lock:
            count = len(self._received)
        return web.json_response({"count": count, "cpu_seconds": time.process_time()})

    def _next_reply(self, path):
        with self._lock:
            replies, then = self._scripts.get(path, (None, Reply(201)))
            return replies.popleft() if replies else then

    def vapid_problem(self, authorization):
        """Why the ``Authorization`` header does not authorise a push here, or ``""``."""
        scheme, _, parameters = authorization.partition(" ")
        fields = dict(part.strip().split("=", 1) for part in parameters.split(",") if "=" in part)
        token, key = fields.get("t", ""), fields.get("k", "")
        if scheme.lower() != "vapid" or not token or not key:
            return "The Authorization header is not 'vapid t=<token>, k=<key>'."
        if self.public_key is not None and key != self.public_key:
            return "k= is not the public key the subscription was made with."
        claims = self._verified_tokens.get((token, key))
        if claims is None:
            try:
                claims = _verified_claims(token, key)
            except ValueError as problem:
                return str(problem)
            self._verified_tokens[(token, key)] = claims
        if claims.get("aud") != self.origin:
            return f"The token's aud {claims.get('aud')!r} is not {self.origin!r}."
        expiry, now = claims.get("exp"), time.time()
        if not isinstance(expiry, int) or not now < expiry <= now + MAX_TOKEN_LIFETIME:
            return "The token's exp is not within the next 24 hours."
        if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
            return "The token's sub is not a mailto: or https: contact."
        return ""


def _verified_claims(token, key):
    """The claims of an ES256 JWT signed by ``key`` (base64url of a P-256 point)."""
    try:
        header, claims, signature = token.split(".")
        public_key = ec.EllipticCurvePublicKey.from_encoded_point(
            ec.SECP256R1(), _b64url_decode(key)
        )
        algorithm = json.loads(_b64url_decode(header)).get("alg")
        raw_signature = _b64url_decode(signature)
    except (ValueError, AttributeError):
        raise ValueError("The token or k= is malformed.") from None
    if algorithm != "ES256" or len(raw_signature) != 64:
        raise ValueError("The token is not signed with ES256.")
    der_signature = encode_dss_signature(
        int.from_bytes(raw_signature[:32], "big"), int.from_bytes(raw_signature[32:], "big")
    )
    try:
        public_key.verify(der_signature, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise ValueError("The token's signature does not match k=.") from None
    claims = json.loads(_b64url_decode(claims))
    if not isinstance(claims, dict):
        raise ValueError("The token's claims are not a JSON object.")
    return claims


def _b64url_decode(text):
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error:
        raise ValueError("not base64url") from None


def _path(endpoint):
    return endpoint[endpoint.index(PUSH_PATH) :]


def main():
    parser = argparse.ArgumentParser(description="Serve the mock push service until stopped.")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--public-key", help="the only k= accepted (any, when not given)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    arguments = parser.parse_args()
    service = MockPushService(
        public_key=arguments.public_key, port=arguments.port, latency=arguments.latency
    )
    service.start()
    print(service.origin, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        service.stop()


if __name__ == "__main__":
    main()
