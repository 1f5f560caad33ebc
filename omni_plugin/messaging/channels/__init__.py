"""The channels a message can go by, each a small backend (see ``base.Channel``).

Messaging registers email, the on-site notice and SMS; the push app registers web push,
and a shop may register a channel of its own, all in their ``AppConfig.ready``.
"""

from .base import Channel

_CHANNELS = {}


def register_channel(channel):
    if not isinstance(channel, Channel) or not channel.name:
        raise TypeError(f"{channel!r} is not a named messaging Channel.")
    _CHANNELS[channel.name] = channel
    return channel


def installed_channels():
    """Name to channel, for every channel registered."""
    return _CHANNELS
