"""Impression and click counters kept in the plugin's cache until a flush writes them.

Each (day, banner, variant, figure) has a counter raised with the cache's atomic ``incr``.
A small registry per day (a sequence number and one entry per counter) lets a flush find
the counters without scanning the cache. A flush *claims* what it reads by lowering the
counter by that amount, also with ``incr``; should two flushes claim the same counts, the
second sees the counter go below zero and gives back what it could not have, so every
count is written exactly once.
"""

from collections import Counter
from datetime import timedelta

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.utils import timezone

from omni_plugin.conf import omni_settings

PREFIX = "omni:banner-counts"
#: Counters not flushed within this many days are dropped by the cache.
KEEP_DAYS = 14
KEEP_SECONDS = KEEP_DAYS * 24 * 60 * 60

IMPRESSIONS = "impressions"
CLICKS = "clicks"


def counter_cache():
    return caches[omni_settings.CACHE_ALIAS]


def count(banner_id, variant_id, figure, amount=1, day=None):
    """Add ``amount`` to the day's (today's by default) ``figure`` of a banner's variant."""
    _count_name(
        counter_cache(), day or timezone.localdate(), f"{banner_id}:{variant_id}:{figure}", amount
    )


def _count_name(cache, day, name, amount):
    key = _counter_key(day, name)
    try:
        cache.incr(key, amount)
    except ValueError:
        if cache.add(key, amount, KEEP_SECONDS):
            _register(cache, day, name)
        else:
            _incr_if_present(cache, key, amount)  # another request created it meanwhile


def count_many(figures, day=None):
    """Add one to each (banner id, variant id, figure) of ``figures`` for the day (today's).

    On Redis, one pipelined round trip for all of them.
    """
    cache = counter_cache()
    day = day or timezone.localdate()
    amounts = Counter(
        f"{banner_id}:{variant_id}:{figure}" for banner_id, variant_id, figure in figures
    )
    if not isinstance(cache, RedisCache):
        for name, amount in amounts.items():
            _count_name(cache, day, name, amount)
        return
    # A cache that survives Redis outages (omni_plugin.resilient_cache) guards the pipeline too.
    guarded = getattr(cache._cache, "guarded", None)
    if guarded:
        guarded(_count_in_pipeline, None, cache, day, amounts)
    else:
        _count_in_pipeline(cache, day, amounts)


def _count_in_pipeline(cache, day, amounts):
    keys = {name: cache.make_and_validate_key(_counter_key(day, name)) for name in amounts}
    client = cache._cache.get_client(write=True)
    pipeline = client.pipeline(transaction=False)
    for name, amount in amounts.items():
        pipeline.incrby(keys[name], amount)
    for (name, amount), total in zip(amounts.items(), pipeline.execute(), strict=True):
        if total == amount:  # this call made the counter: it has no expiry, nor an entry
            client.expire(keys[name], KEEP_SECONDS)
            _register(cache, day, name)


def claim(today=None):
    """Take every pending count out of the cache: ``{(banner_id, variant_id, day): {figure: n}}``.

    The caller writes them to the database, or hands them back with ``give_back``.
    """
    cache = counter_cache()
    today = today or timezone.localdate()
    days = {_sequence_key(day): day for day in (today - timedelta(n) for n in range(KEEP_DAYS))}
    sizes = cache.get_many(days)
    wanted = {
        _entry_key(days[key], number): days[key]
        for key, size in sizes.items()
        for number in range(1, size + 1)
    }
    counters = {
        _counter_key(wanted[entry], name): (wanted[entry], name)
        for entry, name in cache.get_many(wanted).items()
    }
    claims = {}
    for key, value in cache.get_many(counters).items():
        taken = _take(cache, key, value) if value > 0 else 0
        if taken:
            day, name = counters[key]
            banner_id, rest = name.split(":", 1)
            variant_id, figure = rest.rsplit(":", 1)
            claims.setdefault((int(banner_id), variant_id, day), {})[figure] = taken
    return claims


def give_back(claims):
    """Return claimed counts to the cache, after a failed write."""
    for (banner_id, variant_id, day), figures in claims.items():
        for figure, amount in figures.items():
            count(banner_id, variant_id, figure, amount, day)


def _take(cache, key, amount):
    """Lower a counter by up to ``amount``; returns what this caller may write."""
    try:
        left = cache.incr(key, -amount)
    except ValueError:
        return 0
    taken = min(amount, max(left + amount, 0))
    if taken < amount:
        _incr_if_present(cache, key, amount - taken)  # a concurrent flush took it first
    return taken


def _incr_if_present(cache, key, amount):
    try:
        cache.incr(key, amount)
    except ValueError:
        pass  # the cache was cleared meanwhile: the count goes with it


def _register(cache, day, name):
    sequence = _sequence_key(day)
    cache.add(sequence, 0, KEEP_SECONDS)
    number = cache.incr(sequence)
    cache.set(_entry_key(day, number), name, KEEP_SECONDS)


def _counter_key(day, name):
    return f"{PREFIX}:{day.isoformat()}:{name}"


def _sequence_key(day):
    return f"{PREFIX}:{day.isoformat()}:registered"


def _entry_key(day, number):
    return f"{PREFIX}:{day.isoformat()}:entry:{number}"
