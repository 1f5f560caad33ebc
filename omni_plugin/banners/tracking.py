"""Counting what visitors see and click: the API the rendering of banners calls.

    from omni_plugin.banners.tracking import click_url, note_impression

    note_impression(request, banner.pk, variant_id)
    href = click_url(request, banner.pk, variant_id, link)

Impressions and clicks are counted in the cache (``omni_plugin.banners.counters``) and written to
``BannerStat`` in bulk by ``flush_stats``: from a task started at most once a minute, from
``manage.py omni_flush_banner_stats``, and before reports are read. Bots, previews and
staff previewing a segment are not counted.
"""

import logging
import time
from functools import lru_cache

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from omni_plugin.conf import omni_settings
from omni_plugin.core.events import record
from omni_plugin.personalization.segmenting import previewed_segment

from . import counters
from .blocks import validate_link
from .models import Banner
from .tally import add_to_stat

logger = logging.getLogger(__name__)

CLICK_SALT = "omni.banners.click"
#: The task that writes counts to the database is started at most this often.
FLUSH_EVERY_SECONDS = 60
FLUSH_DUE_KEY = f"{counters.PREFIX}:flush-due"
FLUSH_CHECK_SECONDS = 5


class BadClick(Exception):
    """A click token that was altered, is malformed, or leads somewhere unsafe."""


def is_counted(request):
    """Whether what this request shows or clicks counts: a visitor's, not a bot's or a preview's."""
    omni = getattr(request, "omni", None)
    return (
        omni_settings.ENABLED
        and omni is not None
        and omni.trackable
        and not getattr(request, "is_preview", False)
        and previewed_segment(request) is None
    )


def note_impression(request, banner_id, variant_id):
    """Count one showing of a banner's variant (``HOLDOUT`` for the holdout group).

    A page's impressions are counted together once it is rendered: one round trip to the
    cache for all the slots of the page.
    """
    if not is_counted(request):
        return
    shown = request.omni.memo(f"{__name__}.impressions", lambda: _page_impressions(request))
    shown.append((banner_id, variant_id, counters.IMPRESSIONS))


def _page_impressions(request):
    """The list of the page's impressions, counted once the response is done."""
    shown = []
    request.omni.finishers.append(lambda: _count_impressions(shown))
    return shown


def _count_impressions(shown):
    # Run as the response leaves: a cache that is down must not turn the page into an error.
    try:
        counters.count_many(shown)
        _flush_when_due()
    except Exception:
        logger.exception("%s banner impressions could not be counted.", len(shown))


def note_click(request, banner_id, variant_id):
    """Count a click on a banner's variant and record it on the visitor's profile."""
    if is_counted(request):
        counters.count(banner_id, variant_id, counters.CLICKS)
        record("banner_clicked", request=request, data={"banner": banner_id, "variant": variant_id})
        _flush_when_due()


def click_url(request, banner_id, variant_id, link):
    """The address that counts a click on ``link`` and then leads there.

    The same for every visitor, so fragments that hold it stay cacheable. A Wagtail
    preview gets the link itself: an editor's clicks are not counted.
    """
    if getattr(request, "is_preview", False):
        return link
    return _click_url(banner_id, variant_id, link)


@lru_cache(maxsize=4096)
def _click_url(banner_id, variant_id, link):
    # Signing and compressing costs more than the rest of a banner: the same banners are
    # shown again and again, so each process signs each link once.
    token = signing.Signer(salt=CLICK_SALT).sign_object(
        [banner_id, variant_id, link], compress=True
    )
    return reverse("omni:banner_click", args=[token])


def read_click_token(token):
    """The (banner id, variant id, link) a click token holds; ``BadClick`` if it is not ours."""
    try:
        banner_id, variant_id, link = signing.Signer(salt=CLICK_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        raise BadClick(
            _("This banner link is broken or was altered, so it cannot be followed.")
        ) from None
    if not isinstance(banner_id, int) or not isinstance(variant_id, str):
        raise BadClick(_("This banner link is broken, so it cannot be followed."))
    try:
        validate_link(link if isinstance(link, str) else "")
    except ValidationError:
        raise BadClick(_("This banner link leads to an address that is not allowed.")) from None
    return banner_id, variant_id, link


def flush_stats():
    """Write the counted impressions and clicks to ``BannerStat``; returns the rows changed.

    Safe to run anywhere and at any time, even twice at once: each count is written once.
    """
    claims = counters.claim()
    if not claims:
        return 0
    try:
        existing = set(
            Banner.objects.filter(pk__in={key[0] for key in claims}).values_list("pk", flat=True)
        )
        rows = [(key, figures) for key, figures in claims.items() if key[0] in existing]
        with transaction.atomic():
            for (banner_id, variant_id, day), figures in rows:
                add_to_stat(banner_id, variant_id, day, **figures)
    except Exception:
        counters.give_back(claims)
        raise
    return len(rows)  # the counts of deleted banners went with them


#: When this process next asks the shared cache whether a flush is due.
_next_due_check = 0.0


def _flush_when_due():
    # Asking the shared cache on every impression would cost a round trip each time; the
    # process asks once in a while, and the cache's ``add`` elects one process a minute.
    global _next_due_check
    now = time.monotonic()
    if now < _next_due_check:
        return
    _next_due_check = now + FLUSH_CHECK_SECONDS
    if counters.counter_cache().add(FLUSH_DUE_KEY, True, FLUSH_EVERY_SECONDS):
        from .tasks import flush_banner_stats  # tasks imports this module

        transaction.on_commit(flush_banner_stats.enqueue)
