"""What a push carries: a notification as compact JSON, small enough for one encrypted record.

message = PushMessage(title="Back in stock", body="Your size is here", url="/p/42/")
message.check_size()                  # raises PayloadTooLarge
payload = message.payload(receipt)    # the bytes the service worker decrypts
"""

import json
from dataclasses import asdict, dataclass, fields
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from omni_plugin.conf import omni_settings

from .models import Urgency

#: RFC 8291: push services take at most 4096 bytes of encrypted body. aes128gcm adds a
#: header (16 salt, 4 record size, 1 key id length, 65 key id), the 16-byte tag and one
#: padding delimiter.
MAX_ENCRYPTED_BYTES = 4096
MAX_PAYLOAD_BYTES = MAX_ENCRYPTED_BYTES - (16 + 4 + 1 + 65) - 16 - 1
#: Room kept for the signed receipt each push carries.
RECEIPT_ROOM = 64
DEFAULT_TTL = 24 * 60 * 60
ICON_RENDITION = "fill-192x192"
IMAGE_RENDITION = "width-720"


class PayloadTooLarge(ValueError):
    """The notification does not fit in a push; the message says by how much."""


@dataclass(frozen=True)
class PushMessage:
    title: str
    body: str
    url: str
    icon: str = ""
    image: str = ""
    ttl: int = DEFAULT_TTL
    urgency: str = Urgency.NORMAL
    topic: str = ""

    @classmethod
    def from_dict(cls, data):
        """The message ``as_dict`` gave, as kept on a triggered delivery."""
        names = {field.name for field in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in names})

    def as_dict(self):
        return asdict(self)

    def payload(self, receipt=""):
        notification = {"title": self.title, "body": self.body, "url": self.url}
        notification |= {
            key: value
            for key, value in (
                ("icon", self.icon or omni_settings.PUSH_DEFAULT_ICON),
                ("image", self.image),
                ("tag", self.topic),
            )
            if value
        }
        if receipt:
            notification["receipt"] = receipt
        return json.dumps(notification, ensure_ascii=False, separators=(",", ":")).encode()

    def check_size(self):
        size = len(self.payload("r" * RECEIPT_ROOM))
        if size > MAX_PAYLOAD_BYTES:
            raise PayloadTooLarge(
                f"The notification takes {size} bytes and a push holds at most "
                f"{MAX_PAYLOAD_BYTES}: shorten the text by {size - MAX_PAYLOAD_BYTES} bytes."
            )


def campaign_message(campaign):
    """The campaign's notification, its link tagged so visits from it are attributed."""
    return PushMessage(
        title=campaign.title,
        body=campaign.body,
        url=tagged_url(campaign.url, f"push-{campaign.pk}" if campaign.pk else "push"),
        icon=campaign.icon.get_rendition(ICON_RENDITION).url if campaign.icon_id else "",
        image=campaign.image.get_rendition(IMAGE_RENDITION).url if campaign.image_id else "",
        ttl=campaign.ttl,
        urgency=campaign.urgency,
        topic=campaign.topic,
    )


def tagged_url(url, campaign_name):
    """``url`` with UTM parameters naming the push, unless it already has its own."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(name.startswith("utm_") for name, _ in query):
        return url
    query += [("utm_source", "omni"), ("utm_medium", "push"), ("utm_campaign", campaign_name)]
    return urlunsplit(parts._replace(query=urlencode(query)))
