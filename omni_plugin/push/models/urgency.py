from django.db import models
from django.utils.translation import gettext_lazy as _


class Urgency(models.TextChoices):
    """RFC 8030 §5.3: how soon the browser should wake up for the message."""

    VERY_LOW = "very-low", _("Very low: only on power and Wi-Fi")
    LOW = "low", _("Low: on power or Wi-Fi")
    NORMAL = "normal", _("Normal: on battery")
    HIGH = "high", _("High: even on low battery")
