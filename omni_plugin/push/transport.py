"""Posting encrypted pushes to push services: fast, bounded, and polite about errors.

    transport = shared_transport()
    for outcome in transport.send(pushes):  # as each push settles, in any order
        ...

The transport runs its own event loop in a thread, with one kept-alive connection pool
per push service origin and at most ``OMNI_PUSH_CONCURRENCY`` pushes in flight. Each push
is encrypted (``encryption``: RFC 8291, aes128gcm) and signed with the shop's VAPID token
for that origin, made once and reused; a redirect is not followed but fails the push.
What the push service answers decides the outcome: 2xx delivered; 404 and 410 expired;
429 waits for ``Retry-After``; 5xx, timeouts and refused connections retry with doubling
waits; other answers fail at once. A wait longer than ``INLINE_WAIT_LIMIT`` is not slept:
the outcome asks to retry at that time.
"""

import asyncio
import atexit
import os
import queue
import threading
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parsedate_to_datetime

import aiohttp
from django.utils import timezone

from omni_plugin.conf import omni_settings

from .encryption import encrypt
from .payloads import MAX_PAYLOAD_BYTES
from .vapid import authorization_header, push_service_origin

BACKOFF_BASE_SECONDS = 1.0
INLINE_WAIT_LIMIT = 30.0
#: The longest wait a push service's ``Retry-After`` is taken at its word for.
MAX_RETRY_AFTER = 60 * 60
ERROR_TEXT_LENGTH = 200


@dataclass(frozen=True)
class Push:
    delivery_id: int
    endpoint: str
    p256dh: str
    auth: str
    payload: bytes
    ttl: int
    urgency: str
    topic: str = ""


@dataclass(frozen=True)
class Outcome:
    DELIVERED = "delivered"
    EXPIRED = "expired"
    FAILED = "failed"
    RETRY = "retry"

    delivery_id: int
    result: str
    attempts: int
    http_status: int | None = None
    reason: str = ""
    retry_at: object = None  # a datetime when ``result`` is RETRY


class Transport:
    def __init__(self, concurrency=None, timeout=None, max_attempts=None):
        self.concurrency = concurrency or omni_settings.PUSH_CONCURRENCY
        self.timeout = aiohttp.ClientTimeout(total=timeout or omni_settings.PUSH_TIMEOUT)
        self.max_attempts = max_attempts or omni_settings.PUSH_MAX_ATTEMPTS
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._sessions = {}
        self._thread.start()
        self._slots = self._run(self._make_semaphore())

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        self._run(self._close_sessions())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()

    def send(self, pushes):
        """Yield an ``Outcome`` for each push as it settles."""
        pushes = list(pushes)
        settled = queue.SimpleQueue()

        async def send_all():
            await asyncio.gather(*(self._settle(push, settled.put) for push in pushes))

        future = asyncio.run_coroutine_threadsafe(send_all(), self._loop)
        for _ in pushes:
            yield settled.get()
        future.result()

    def _run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    async def _make_semaphore(self):
        return asyncio.Semaphore(self.concurrency)

    async def _close_sessions(self):
        for session in self._sessions.values():
            await session.close()

    def _session(self, endpoint):
        origin = push_service_origin(endpoint)
        session = self._sessions.get(origin)
        if session is None:
            connector = aiohttp.TCPConnector(limit=self.concurrency, keepalive_timeout=60)
            session = self._sessions[origin] = aiohttp.ClientSession(connector=connector)
        return session

    async def _settle(self, push, report):
        try:
            outcome = await self._deliver(push)
        except Exception as error:  # one bad push must not stop the others
            outcome = Outcome(push.delivery_id, Outcome.FAILED, 1, reason=_describe(error))
        report(outcome)

    async def _deliver(self, push):
        if len(push.payload) > MAX_PAYLOAD_BYTES:
            return Outcome(
                push.delivery_id,
                Outcome.FAILED,
                0,
                reason=f"The payload of {len(push.payload)} bytes exceeds the 4 KB of a push.",
            )
        attempts = 0
        while True:
            attempts += 1
            status, headers, reason = await self._post(push)
            if status is not None and 200 <= status < 300:
                return Outcome(push.delivery_id, Outcome.DELIVERED, attempts, status)
            if status in (404, 410):
                return Outcome(push.delivery_id, Outcome.EXPIRED, attempts, status, reason)
            retriable = status is None or status == 429 or status >= 500
            if not retriable or attempts >= self.max_attempts:
                return Outcome(push.delivery_id, Outcome.FAILED, attempts, status, reason)
            wait = retry_after(headers) if status == 429 else None
            if wait is None:
                wait = BACKOFF_BASE_SECONDS * 2 ** (attempts - 1)
            if wait > INLINE_WAIT_LIMIT:
                retry_at = timezone.now() + timedelta(seconds=wait)
                return Outcome(push.delivery_id, Outcome.RETRY, attempts, status, reason, retry_at)
            await asyncio.sleep(wait)

    async def _post(self, push):
        """``(status, headers, reason)``; status None when the service did not answer."""
        session = self._session(push.endpoint)
        # Encrypted once a slot is free: the pushes in flight wait on the network while
        # the next one is encrypted, rather than every push of a chunk encrypted first.
        async with self._slots:
            body = encrypt(push.payload, push.p256dh, push.auth)
            headers = {
                "Authorization": authorization_header(push.endpoint),
                "Content-Encoding": "aes128gcm",
                "Content-Type": "application/octet-stream",
                "TTL": str(push.ttl),
                "Urgency": push.urgency,
            }
            if push.topic:
                headers["Topic"] = push.topic
            try:
                # A push service never redirects: following one would hand the payload on.
                async with session.post(
                    push.endpoint,
                    data=body,
                    headers=headers,
                    timeout=self.timeout,
                    allow_redirects=False,
                ) as response:
                    if 200 <= response.status < 300:
                        return response.status, response.headers, ""
                    text = (await response.text(errors="replace")).strip()[:ERROR_TEXT_LENGTH]
            except (TimeoutError, aiohttp.ClientError) as error:
                return None, {}, _describe(error)
        return response.status, response.headers, f"HTTP {response.status}: {text}".rstrip(": ")


_shared = {}
_shared_lock = threading.Lock()


def shared_transport():
    """This process's transport, kept so that its connections stay open from chunk to chunk.

    A new one is made when the push settings change, or in a process forked from the one
    that made it (its thread did not survive the fork).
    """
    key = (
        os.getpid(),
        omni_settings.PUSH_CONCURRENCY,
        omni_settings.PUSH_TIMEOUT,
        omni_settings.PUSH_MAX_ATTEMPTS,
    )
    with _shared_lock:
        transport = _shared.get(key)
        if transport is None:
            _close_shared()
            transport = _shared[key] = Transport()
    return transport


@atexit.register
def _close_shared():
    for (pid, *_), transport in list(_shared.items()):
        if pid == os.getpid():
            transport.close()
    _shared.clear()


def retry_after(headers):
    """Seconds the ``Retry-After`` header asks to wait (delay or HTTP date), or None."""
    value = (headers or {}).get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        seconds = int(value)
    else:
        try:
            seconds = (parsedate_to_datetime(value) - timezone.now()).total_seconds()
        except (TypeError, ValueError):
            return None
    return min(max(seconds, 0), MAX_RETRY_AFTER)


def _describe(error):
    if isinstance(error, TimeoutError):
        return "No answer in time."
    return f"{type(error).__name__}: {error}"[:ERROR_TEXT_LENGTH]
