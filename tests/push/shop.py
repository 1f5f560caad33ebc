"""The shop's side of push tests: its VAPID identity, browsers' subscriptions, campaigns."""

import os

from omni_plugin.push.vapid import b64url_encode, generate_keys

SUBJECT = "mailto:push@oscar-omni-demo.com"


def use_vapid_identity(settings):
    """Give the shop a fresh VAPID identity; its public key."""
    public_key, private_key = generate_keys()
    settings.OMNI_PUSH_VAPID_PUBLIC_KEY = public_key
    settings.OMNI_PUSH_VAPID_PRIVATE_KEY = private_key
    settings.OMNI_PUSH_VAPID_SUBJECT = SUBJECT
    return public_key


def allow_push_service(settings, host):
    """Accept endpoints on ``host`` (over http, on any port) as those of a push service."""
    from omni_plugin.conf import omni_settings

    settings.OMNI_PUSH_EXTRA_SERVICE_HOSTS = [*omni_settings.PUSH_EXTRA_SERVICE_HOSTS, host]


def browser_keys():
    """The keys a browser makes for a subscription: a P-256 public key and an auth secret."""
    public_key, _ = generate_keys()
    return {"p256dh": public_key, "auth": b64url_encode(os.urandom(16))}


def make_subscription(endpoint, keys=None):
    """An active subscription to ``endpoint``, of a new profile that opted in."""
    from omni_plugin.core.models import Profile
    from omni_plugin.push.models import PushSubscription

    keys = keys or browser_keys()
    return PushSubscription.objects.create(
        profile=Profile.objects.create(),
        endpoint=endpoint,
        p256dh=keys["p256dh"],
        auth=keys["auth"],
        device=PushSubscription.Device.DESKTOP,
    )


def make_campaign(**fields):
    """A draft campaign to everyone, sent at once: no quiet hours, no frequency cap."""
    from omni_plugin.push.models import Campaign

    return Campaign.objects.create(
        **{
            "name": "Spring sale",
            "title": "Spring sale",
            "body": "Everything in the garden is 20% off until Sunday.",
            "url": "/offers/spring/",
            "quiet_hours_start": None,
            "quiet_hours_end": None,
            "cap_count": None,
            **fields,
        }
    )


def start(campaign, on_commit):
    """Start ``campaign`` as an editor does; with in-process tasks it is sent at once.

    ``on_commit`` is pytest-django's ``django_capture_on_commit_callbacks``: the test's
    transaction never commits, so the callbacks that enqueue the sending are run by hand.
    """
    from omni_plugin.push import campaigns

    with on_commit(execute=True):
        campaigns.start(campaign)
    campaign.refresh_from_db()
    return campaign


def deliveries_by_endpoint(campaign):
    return {
        delivery.subscription.endpoint: delivery
        for delivery in campaign.deliveries.select_related("subscription")
    }
