"""The one way the shop sends a customer a message, on whichever channel reaches them.

    from omni_plugin.messaging.content import MessageContent
    from omni_plugin.messaging.sending import send_message

    send_message(
        "back_in_stock",
        profile,
        MessageContent(title="Back in stock", body="The Enamel Mug is back.", url="/mug/"),
        key=f"product:{product.pk}",
    )

Each message is checked in turn: said already (same intent and ``key``)? consented to on
some channel that reaches the customer? over the frequency cap? inside the customer's
quiet hours (then deferred to their morning, if it still matters then)? It then goes by
the first channel that takes it, in the order: the one asked for, the customer's
preferred one, the intent's own order. A channel that fails, at once or later (a push
service saying the browser is gone, a bounced email), hands the message to the next one
while the message is still relevant. Every decision is kept as a ``Message`` and shown in
the profile's timeline.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import time_format

from omni_plugin.core.events import record
from omni_plugin.core.merging import root_of
from omni_plugin.core.models import Profile
from omni_plugin.core.preferences import preferred_channel
from omni_plugin.geo.timezones import zone
from omni_plugin.messaging.models import Message

from .channels import installed_channels
from .channels.base import FAILED, PENDING, SENT
from .content import MessageContent
from .errors import MessagingError
from .intents import get_intent
from .policy import cap_reached, consent_allows, quiet_until

Status = Message.Status
Reason = Message.Reason
KEY_MAX = Message._meta.get_field("key").max_length
#: Event channels for the timeline; the on-site notice is the web shop's.
EVENT_CHANNELS = {"push": "push", "email": "email", "sms": "sms"}


def send_message(intent, profile, content, *, key="", first_channel=None, now=None):
    """Send, defer or skip a message to the profile (or profile id); its ``Message``.

    ``content`` is a ``MessageContent`` or its dict. ``key`` names what the message is
    about, so it is sent once. Raises ``MessagingError`` for bad input, recording nothing.
    """
    now = now or timezone.now()
    intent = get_intent(intent)
    if not isinstance(content, MessageContent):
        if not isinstance(content, dict):
            raise MessagingError("A message's content is a MessageContent or a dict.")
        content = MessageContent.from_dict(content)
    content.validate()
    if not isinstance(key, str) or len(key) > KEY_MAX:
        raise MessagingError(f"A message's key is text of at most {KEY_MAX} characters.")
    names = installed_channels()
    if first_channel is not None and first_channel not in names:
        raise MessagingError(f"{first_channel!r} is not a channel; use one of {', '.join(names)}.")
    profile = _profile(profile)
    preferred = preferred_channel(profile.snapshot)
    message = Message(
        profile=profile,
        origin_profile=profile,
        intent=intent.name,
        key=key,
        content=content.as_dict(),
        channels=list(dict.fromkeys(c for c in (first_channel, preferred, *intent.channels) if c)),
        created_at=now,
        deadline=now + intent.relevance,
    )
    return _decide(message, profile, now)


def send_due_messages(now=None):
    """Send the deferred messages whose time has come; how many were looked at."""
    now = now or timezone.now()
    due = list(
        Message.objects.filter(status=Status.DEFERRED, due_at__lte=now)
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)
    )
    for pk in due:
        if Message.objects.filter(pk=pk, status=Status.DEFERRED).update(status=Status.SENDING):
            message = Message.objects.select_related("profile").get(pk=pk)
            _decide(message, message.profile, now)
    return len(due)


def settle(message_id, now=None):
    """Learn what became of a message handed to a channel that answers later (web push):
    sent once the channel says so, else on to the next channel. Called as that channel
    hears of its outcomes."""
    now = now or timezone.now()
    with transaction.atomic():
        message = (
            Message.objects.select_for_update()
            .filter(pk=message_id, status=Status.SENDING)
            .select_related("profile")
            .first()
        )
        channel = message and installed_channels().get(message.channel)
        if channel is None or not channel.answers_later:
            return None
        outcome = channel.outcome(message)
        if outcome.result == PENDING:
            return message
        if outcome.result == SENT:
            message.status = Status.SENT
            message.save(update_fields=["status"])
            _log(message)
            return message
        _note_failure(message, channel.name, outcome.detail, now)
        return _decide(message, message.profile, now)


def fall_back_from_email(profile_ids, address, now=None):
    """Send again by another channel the messages emailed to ``address`` that bounced,
    while they are still relevant; the messages handed on."""
    now = now or timezone.now()
    handed_on = []
    for pk in Message.objects.filter(
        profile_id__in=profile_ids, channel="email", status=Status.SENT, deadline__gte=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            message = (
                Message.objects.select_for_update()
                .select_related("profile")
                .filter(pk=pk, status=Status.SENT)
                .first()
            )
            if message is None:
                continue
            message.profile.refresh_from_db(fields=["snapshot"])
            _note_failure(message, "email", f"Mail to {address} bounced.", now)
            handed_on.append(_decide(message, message.profile, now))
    return handed_on


def _profile(profile):
    profile_id = getattr(profile, "pk", profile)
    found = Profile.objects.filter(pk=root_of(profile_id)).first()
    if found is None:
        raise MessagingError(f"There is no profile #{profile_id} to send a message to.")
    if found.erased_at is not None:
        raise MessagingError(f"Profile #{profile_id} was erased: it gets no messages.")
    return found


def _decide(message, profile, now):
    intent = get_intent(message.intent)
    snapshot = profile.snapshot
    tried = {attempt["channel"] for attempt in message.attempts}
    if message.pk is None and message.key and _said_already(message):
        return _finish(
            message, Status.SKIPPED, Reason.DUPLICATE, "The same message was sent already."
        )
    channels = installed_channels()
    candidates = [channels[n] for n in message.channels if n in channels and n not in tried]
    reachable = [channel for channel in candidates if channel.reaches(profile, snapshot)]
    allowed = [channel for channel in reachable if consent_allows(intent, channel, snapshot)]
    if tried and not allowed:
        return _finish(message, Status.FAILED, Reason.CHANNELS_FAILED, _tried(message))
    if reachable and not allowed:
        names = ", ".join(str(channel.label) for channel in reachable)
        return _finish(
            message,
            Status.SKIPPED,
            Reason.NO_CONSENT,
            f"No consent for {intent.purpose} by {names}.",
        )
    if not allowed:
        return _finish(
            message,
            Status.SKIPPED,
            Reason.UNREACHABLE,
            "No subscribed browser, email address, account or phone number.",
        )
    if now > message.deadline:
        if tried:
            return _finish(message, Status.FAILED, Reason.CHANNELS_FAILED, _tried(message))
        return _finish(message, Status.SKIPPED, Reason.EXPIRED, "It no longer mattered by then.")
    if not tried and (detail := cap_reached(intent, profile.pk, now)):
        return _finish(message, Status.SKIPPED, Reason.CAPPED, detail)
    if until := quiet_until(snapshot, now):
        local = until.astimezone(zone((snapshot.get("geo") or {}).get("time_zone", "")))
        if until <= message.deadline:
            message.due_at = until
            return _finish(
                message,
                Status.DEFERRED,
                Reason.QUIET_HOURS,
                f"Quiet hours: deferred to {time_format(local)} ({local.tzname()}).",
            )
        return _finish(
            message,
            Status.SKIPPED,
            Reason.QUIET_HOURS,
            f"Quiet hours until {time_format(local)}, when it no longer matters.",
        )
    return _carry(message, profile, snapshot, allowed, now)


def _carry(message, profile, snapshot, channels, now):
    """Hand the message to the first of ``channels`` that takes it."""
    with transaction.atomic():
        message.status, message.reason, message.detail = Status.SENDING, "", ""
        message.due_at = None
        if not _claim(message):
            return _finish(
                message, Status.SKIPPED, Reason.DUPLICATE, "The same message is being sent already."
            )
        for channel in channels:
            outcome = channel.send(message, profile, snapshot)
            message.attempts.append(_attempt(channel.name, outcome.result, outcome.detail, now))
            if outcome.result == FAILED:
                continue
            message.channel = channel.name
            message.sent_at = message.sent_at or now
            message.status = Status.SENT if outcome.result == SENT else Status.SENDING
            break
        else:
            message.status, message.reason = Status.FAILED, Reason.CHANNELS_FAILED
            message.detail = _tried(message)
        message.save()
        if message.status != Status.SENDING:
            _log(message)
    return message


def _claim(message):
    """Save the message as being sent; False when the same one is being sent already."""
    if message.pk is not None:
        message.save()
        return True
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        message.pk = None
        return False
    return True


def _said_already(message):
    return (
        Message.objects.filter(profile=message.profile, intent=message.intent, key=message.key)
        .exclude(status=Status.SKIPPED)
        .exists()
    )


def _finish(message, status, reason, detail):
    message.status, message.reason, message.detail = status, reason, detail[:300]
    message.save()
    _log(message)
    return message


def _note_failure(message, channel, detail, now):
    message.attempts.append(_attempt(channel, FAILED, detail, now))


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


def _log(message):
    """The decision, in the profile's timeline."""
    record(
        f"message_{message.status}",
        profile=message.profile_id,
        channel=EVENT_CHANNELS.get(message.channel, "web"),
        data={
            "intent": message.intent,
            "message": message.pk,
            "title": message.content.get("title", ""),
            "reason": message.reason,
            "detail": message.detail,
        },
    )
