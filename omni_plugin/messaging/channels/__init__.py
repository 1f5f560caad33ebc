"""The channels a message can go by, each a small backend (see ``base.Channel``)."""

from functools import cache

from django.apps import apps

from .email import EmailChannel
from .onsite import OnSiteChannel
from .sms import SMSChannel

NAMES = ("push", "email", "onsite", "sms")


@cache
def installed_channels():
    """Name to channel, for the channels this shop can use: web push needs the push app."""
    channels = [EmailChannel(), OnSiteChannel(), SMSChannel()]
    if apps.is_installed("push") and apps.is_installed("wagtail"):
        from .push import PushChannel

        channels.append(PushChannel())
    return {channel.name: channel for channel in channels}
