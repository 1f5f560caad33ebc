"""What a message says, once for every channel: each channel adapts it to its format.

A push shows the title and the body, an email renders them in its templates with a link,
the on-site notice links the title, and an SMS joins them with the link, shortened to fit.
"""

from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from django.conf import settings

from .errors import MessagingError

TITLE_MAX = 120
BODY_MAX = 1000


class InvalidContent(MessagingError):
    pass


@dataclass(frozen=True)
class MessageContent:
    title: str
    body: str
    #: A path on the shop (``/basket/``) or a full https:// address.
    url: str = ""
    image: str = ""
    #: More for the email templates (product ids, a store's name, ...), JSON-serialisable.
    data: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, values):
        names = {"title", "body", "url", "image", "data"}
        unknown = set(values) - names
        if unknown:
            raise InvalidContent(f"A message has no {', '.join(sorted(unknown))}.")
        return cls(**values)

    def as_dict(self):
        return asdict(self)

    def validate(self):
        """Raise ``InvalidContent`` saying what is wrong."""
        if not isinstance(self.title, str) or not self.title.strip():
            raise InvalidContent("A message needs a title.")
        if not isinstance(self.body, str) or not self.body.strip():
            raise InvalidContent("A message needs a body.")
        if len(self.title) > TITLE_MAX or len(self.body) > BODY_MAX:
            raise InvalidContent(
                f"A message's title takes at most {TITLE_MAX} characters and its body {BODY_MAX}."
            )
        for name in ("url", "image"):
            value = getattr(self, name)
            if value and not _safe_link(value):
                raise InvalidContent(
                    f"The {name} must be a path on the shop (/basket/) or a full https:// "
                    f"address, not {value!r}."
                )
        if not isinstance(self.data, dict):
            raise InvalidContent("A message's data is a dict.")


def _safe_link(value):
    if not isinstance(value, str):
        return False
    if value.startswith("/") and not value.startswith("//"):
        return True
    parts = urlsplit(value)
    return parts.scheme == "https" and bool(parts.netloc)


def absolute(link):
    """``link`` as a full address on the shop's site, the way Oscar's emails write links."""
    if not link or not link.startswith("/"):
        return link
    from django.contrib.sites.models import Site

    return f"{settings.OSCAR_URL_SCHEMA}://{Site.objects.get_current().domain}{link}"
