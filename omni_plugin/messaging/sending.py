"""The one way the shop sends a customer a message, on whichever channel reaches them.

    from omni_plugin.messaging.content import MessageContent
    from omni_plugin.messaging.sending import send_message

    send_message(
        "back_in_stock",
        profile,
        MessageContent(title="Back in stock", body="The Enamel Mug is back.", url="/mug/"),
        key=f"product:{product.pk}",
    )

Many messages of one intent go together with ``send_messages``, a chunk at a time: the
checks below ask the database a handful of times per chunk, not per message.

Each message is checked in turn: said already (same intent and ``key``)? consented to on
some channel that reaches the customer? over the frequency cap? inside the customer's
quiet hours (then deferred to their morning, if it still matters then)? It then goes by
the first channel that takes it, in the order: the one asked for, the customer's
preferred one, the intent's own order. A channel that fails, at once or later (a push
service saying the browser is gone, a bounced email), hands the message to the next one
while the message is still relevant. Every decision is kept as a ``Message`` and shown in
the profile's timeline.

The decisions are written before any channel is called, the messages to carry as
``sending``: should a channel's call or the writing of its outcome fail, the message
stays ``sending`` and is never carried twice.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import time_format

from omni_plugin.core.bulk_update import update_rows
from omni_plugin.core.events import ingest, new_event
from omni_plugin.core.merging import roots_of
from omni_plugin.core.models import Profile
from omni_plugin.core.preferences import preferred_channel
from omni_plugin.geo.timezones import zone
from omni_plugin.messaging.models import Message

from .channels import installed_channels
from .channels.base import FAILED, SENT
from .content import MessageContent
from .errors import MessagingError
from .intents import get_intent
from .policy import FrequencyCaps, consent_allows, quiet_until

Status = Message.Status
Reason = Message.Reason
KEY_MAX = Message._meta.get_field("key").max_length
#: Event channels for the timeline; the on-site notice is the web shop's.
EVENT_CHANNELS = {"push": "push", "email": "email", "sms": "sms"}
#: Messages checked and written together.
CHUNK = 500
DECISION_FIELDS = ["status", "reason", "detail", "due_at", "attempts"]
OUTCOME_FIELDS = ["status", "reason", "detail", "channel", "attempts", "sent_at"]


@dataclass(frozen=True)
class Outgoing:
    """One message for ``send_messages``: to whom (a profile or its id), what (a
    ``MessageContent`` or its dict), about what, and the channel to try first."""

    profile: object
    content: object
    key: str = ""
    first_channel: str | None = None


def send_message(intent, profile, content, *, key="", first_channel=None, now=None):
    """Send, defer or skip a message to the profile (or profile id); its ``Message``.

    ``content`` is a ``MessageContent`` or its dict. ``key`` names what the message is
    about, so it is sent once. Raises ``MessagingError`` for bad input, recording nothing.
    """
    (result,) = send_messages(intent, [Outgoing(profile, content, key, first_channel)], now=now)
    if isinstance(result, MessagingError):
        raise result
    return result


def send_messages(intent, outgoing, *, now=None):
    """Send, defer or skip each ``Outgoing`` message of the intent, a chunk at a time.

    Returns, in order, each one's ``Message``, or the ``MessagingError`` that kept it from
    being recorded (a profile that does not exist or was erased). Bad content, keys or
    channels raise ``MessagingError`` before anything is recorded.
    """
    now = now or timezone.now()
    intent = get_intent(intent)
    outgoing = [_checked(item) for item in outgoing]
    results = []
    for start in range(0, len(outgoing), CHUNK):
        chunk = outgoing[start : start + CHUNK]
        profiles = _profiles([item.profile for item in chunk])
        decided = [_new_message(intent, profiles[item.profile], item, now) for item in chunk]
        _decide([message for message in decided if isinstance(message, Message)], now)
        results += decided
    return results


def send_due_messages(now=None):
    """Send the deferred messages whose time has come; how many were looked at."""
    now = now or timezone.now()
    looked_at = 0
    while due := _claim_due(now):
        _decide(due, now)
        looked_at += len(due)
    return looked_at


def settle_messages(message_ids, now=None):
    """Learn what became of messages handed to a channel that answers later (web push):
    sent once the channel says so, else on to the next channel. Called as that channel
    hears of its outcomes; the messages whose fate was learnt."""
    now = now or timezone.now()
    channels = installed_channels()
    with transaction.atomic():
        sending = (
            Message.objects.select_for_update(of=("self",))
            .filter(pk__in=message_ids, status=Status.SENDING)
            .select_related("profile")
        )
        by_channel = defaultdict(list)
        for message in sending:
            channel = channels.get(message.channel)
            if channel is not None and channel.answers_later:
                by_channel[channel].append(message)
        sent, failed = [], []
        for channel, messages in by_channel.items():
            for message, outcome in zip(messages, channel.outcomes(messages)):
                if outcome.result == SENT:
                    message.status = Status.SENT
                    sent.append(message)
                elif outcome.result == FAILED:
                    message.attempts.append(_attempt(channel.name, FAILED, outcome.detail, now))
                    failed.append(message)
        update_rows(sent, ["status"])
        _log(sent)
        _decide(failed, now)
    return sent + failed


def fall_back_from_email(profile_ids, address, now=None):
    """Send again by another channel the messages emailed to ``address`` that bounced,
    while they are still relevant; the messages handed on."""
    now = now or timezone.now()
    with transaction.atomic():
        bounced = list(
            Message.objects.select_for_update(of=("self",))
            .select_related("profile")
            .filter(
                profile_id__in=profile_ids, channel="email", status=Status.SENT, deadline__gte=now
            )
        )
        for message in bounced:
            message.attempts.append(_attempt("email", FAILED, f"Mail to {address} bounced.", now))
        _decide(bounced, now)
    return bounced


def _checked(item):
    """The ``Outgoing`` with its content a valid ``MessageContent`` and its profile an id."""
    content = item.content
    if not isinstance(content, MessageContent):
        if not isinstance(content, dict):
            raise MessagingError("A message's content is a MessageContent or a dict.")
        content = MessageContent.from_dict(content)
    content.validate()
    if not isinstance(item.key, str) or len(item.key) > KEY_MAX:
        raise MessagingError(f"A message's key is text of at most {KEY_MAX} characters.")
    names = installed_channels()
    if item.first_channel is not None and item.first_channel not in names:
        raise MessagingError(
            f"{item.first_channel!r} is not a channel; use one of {', '.join(names)}."
        )
    return Outgoing(
        getattr(item.profile, "pk", item.profile), content, item.key, item.first_channel
    )


def _profiles(profile_ids):
    """Each id mapped to the profile it ended up in, or to why it gets no message."""
    roots = roots_of(set(profile_ids))
    found = Profile.objects.in_bulk(set(roots.values()))
    profiles = {}
    for profile_id in profile_ids:
        profile = found.get(roots.get(profile_id))
        if profile is None:
            profiles[profile_id] = MessagingError(
                f"There is no profile #{profile_id} to send a message to."
            )
        elif profile.erased_at is not None:
            profiles[profile_id] = MessagingError(
                f"Profile #{profile_id} was erased: it gets no messages."
            )
        else:
            profiles[profile_id] = profile
    return profiles


def _new_message(intent, profile, item, now):
    if isinstance(profile, MessagingError):
        return profile
    preferred = preferred_channel(profile.snapshot)
    return Message(
        profile=profile,
        origin_profile=profile,
        intent=intent.name,
        key=item.key,
        content=item.content.as_dict(),
        channels=list(
            dict.fromkeys(c for c in (item.first_channel, preferred, *intent.channels) if c)
        ),
        created_at=now,
        deadline=now + intent.relevance,
    )


def _claim_due(now):
    """A chunk of the deferred messages that are due, taken as ``sending`` by this worker;
    those another worker is taking are left to it."""
    with transaction.atomic():
        due = list(
            Message.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=Status.DEFERRED, due_at__lte=now)
            .select_related("profile")
            .order_by("due_at", "pk")[:CHUNK]
        )
        Message.objects.filter(pk__in=[message.pk for message in due]).update(status=Status.SENDING)
    for message in due:
        message.status = Status.SENDING
    return due


def _decide(messages, now):
    """Check each message, write the decisions, then carry those that may go now."""
    if not messages:
        return
    checks = _Checks(messages, now)
    carried = [(message, channels) for message in messages if (channels := checks.run(message))]
    _write_decisions(messages)
    _carry(
        [(message, channels) for message, channels in carried if message.status == Status.SENDING],
        now,
    )


class _Checks:
    """The checks of a chunk of messages, each lookup made once for the whole chunk."""

    def __init__(self, messages, now):
        self.now = now
        self.channels = installed_channels()
        self.said = _said_already([m for m in messages if m.pk is None and m.key])
        wanted = defaultdict(dict)
        for message in messages:
            for name in message.channels:
                if name in self.channels:
                    wanted[name][message.profile_id] = message.profile
        self.reached = {
            name: self.channels[name].reaching(list(profiles.values()))
            for name, profiles in wanted.items()
        }
        self.caps = FrequencyCaps([message.profile_id for message in messages], now)

    def run(self, message):
        """The channels to carry the message by, in order; none when it was decided
        otherwise, its status saying how."""
        channels = self._channels(message)
        if message.pk is None and message.key and message.status != Status.SKIPPED:
            self.said.add((message.profile_id, message.intent, message.key))
        return channels

    def _channels(self, message):
        intent = get_intent(message.intent)
        snapshot = message.profile.snapshot
        tried = {attempt["channel"] for attempt in message.attempts}
        said = (message.profile_id, message.intent, message.key)
        if message.pk is None and message.key and said in self.said:
            return _decided(
                message, Status.SKIPPED, Reason.DUPLICATE, "The same message was sent already."
            )
        candidates = [
            self.channels[name]
            for name in message.channels
            if name in self.channels and name not in tried
        ]
        reachable = [c for c in candidates if message.profile_id in self.reached[c.name]]
        allowed = [c for c in reachable if consent_allows(intent, c, snapshot)]
        if tried and not allowed:
            return _decided(message, Status.FAILED, Reason.CHANNELS_FAILED, _tried(message))
        if reachable and not allowed:
            names = ", ".join(str(channel.label) for channel in reachable)
            return _decided(
                message,
                Status.SKIPPED,
                Reason.NO_CONSENT,
                f"No consent for {intent.purpose} by {names}.",
            )
        if not allowed:
            return _decided(
                message,
                Status.SKIPPED,
                Reason.UNREACHABLE,
                "No subscribed browser, email address, account or phone number.",
            )
        if self.now > message.deadline:
            if tried:
                return _decided(message, Status.FAILED, Reason.CHANNELS_FAILED, _tried(message))
            return _decided(
                message, Status.SKIPPED, Reason.EXPIRED, "It no longer mattered by then."
            )
        if not tried:
            if detail := self.caps.reached(intent, message.profile_id):
                return _decided(message, Status.SKIPPED, Reason.CAPPED, detail)
        if until := quiet_until(snapshot, self.now):
            local = until.astimezone(zone((snapshot.get("geo") or {}).get("time_zone", "")))
            if until <= message.deadline:
                message.due_at = until
                return _decided(
                    message,
                    Status.DEFERRED,
                    Reason.QUIET_HOURS,
                    f"Quiet hours: deferred to {time_format(local)} ({local.tzname()}).",
                )
            return _decided(
                message,
                Status.SKIPPED,
                Reason.QUIET_HOURS,
                f"Quiet hours until {time_format(local)}, when it no longer matters.",
            )
        if not tried:
            self.caps.count(intent, message.profile_id)
        message.status, message.reason, message.detail, message.due_at = (
            Status.SENDING,
            "",
            "",
            None,
        )
        return allowed


def _said_already(messages):
    """(profile, intent, key) of the messages sent, being sent or deferred already."""
    if not messages:
        return set()
    return set(
        Message.objects.filter(
            profile_id__in={m.profile_id for m in messages},
            intent__in={m.intent for m in messages},
            key__in={m.key for m in messages},
        )
        .exclude(status=Status.SKIPPED)
        .values_list("profile_id", "intent", "key")
    )


def _write_decisions(messages):
    """Insert the new messages and update the others; tell the timelines of those decided
    for good. A message whose twin another worker wrote meanwhile is skipped as a duplicate."""
    with transaction.atomic():
        existing = [message for message in messages if message.pk is not None]
        _insert([message for message in messages if message.pk is None])
        update_rows(existing, DECISION_FIELDS)
        _log([message for message in messages if message.status != Status.SENDING])


def _insert(messages):
    try:
        with transaction.atomic():
            Message.objects.bulk_create(messages)
    except IntegrityError:
        for message in messages:
            try:
                with transaction.atomic():
                    message.save()
            except IntegrityError:
                message.pk = None
                _decided(
                    message,
                    Status.SKIPPED,
                    Reason.DUPLICATE,
                    "The same message is being sent already.",
                )
                message.save()


def _carry(carried, now):
    """Hand each ``(message, channels)`` to the first of its channels that takes it, the
    chunk's messages for a channel together; then write what became of each."""
    if not carried:
        return
    with transaction.atomic():
        waiting = carried
        while waiting:
            by_channel = defaultdict(list)
            for message, channels in waiting:
                by_channel[channels[0]].append((message, channels))
            waiting = []
            for channel, group in by_channel.items():
                outcomes = channel.send_many([message for message, _channels in group])
                for (message, channels), outcome in zip(group, outcomes):
                    message.attempts.append(
                        _attempt(channel.name, outcome.result, outcome.detail, now)
                    )
                    if outcome.result != FAILED:
                        message.channel = channel.name
                        message.sent_at = message.sent_at or now
                        message.status = Status.SENT if outcome.result == SENT else Status.SENDING
                    elif len(channels) > 1:
                        waiting.append((message, channels[1:]))
                    else:
                        message.status, message.reason = Status.FAILED, Reason.CHANNELS_FAILED
                        message.detail = _tried(message)[:300]
        messages = [message for message, _channels in carried]
        update_rows(messages, OUTCOME_FIELDS)
        _log([message for message in messages if message.status != Status.SENDING])


def _decided(message, status, reason, detail):
    message.status, message.reason, message.detail = status, reason, detail[:300]
    return []


def _attempt(channel, outcome, detail, now):
    return {"channel": channel, "outcome": outcome, "detail": detail[:300], "at": now.isoformat()}


def _tried(message):
    return (
        "; ".join(
            f"{attempt['channel']}: {attempt['detail'] or attempt['outcome']}"
            for attempt in message.attempts
        )
        or "No channel took it."
    )


def _log(messages):
    """The decisions, in the profiles' timelines."""
    events = defaultdict(list)
    for message in messages:
        events[message.profile_id].append(
            new_event(
                f"message_{message.status}",
                channel=EVENT_CHANNELS.get(message.channel, "web"),
                data={
                    "intent": message.intent,
                    "message": message.pk,
                    "title": message.content.get("title", ""),
                    "reason": message.reason,
                    "detail": message.detail,
                },
            )
        )
    if events:
        ingest(events)
