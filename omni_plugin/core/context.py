import logging
from contextvars import ContextVar
from functools import cache, cached_property

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse

from omni_plugin.conf import omni_settings
from omni_plugin.core import profiles
from omni_plugin.core import snapshot as snapshots
from omni_plugin.geo.devices import BOT, device_class
from omni_plugin.geo.request import geo_for_request

from .arrival import arrival_source
from .visitor import new_visitor_id, read_visitor_id, set_visitor_cookie

logger = logging.getLogger(__name__)

#: The request being served, for receivers of signals that do not pass it along.
current_request = ContextVar("omni_current_request", default=None)


#: Session key set while a staff member browses the site as a segment: nothing is tracked.
PREVIEW_SESSION_KEY = "omni_preview_segment"

#: Staff at work are not customers, nor are the stores' tills: these admin sites and the POS
#: API are never tracked, wherever mounted.
UNTRACKED_ROOTS = ("wagtailadmin_home", "dashboard:index", "admin:index", "omni:pos:root")


@cache
def untracked_root_prefixes():
    prefixes = []
    for url_name in UNTRACKED_ROOTS:
        try:
            prefixes.append(reverse(url_name))
        except NoReverseMatch:
            continue
    return tuple(prefixes)


def untracked_path_prefixes():
    """Paths the plugin leaves alone: files, the admin sites, the POS API and
    OMNI_UNTRACKED_PATHS."""
    served_files = (
        url for url in (settings.STATIC_URL, settings.MEDIA_URL) if url and url.startswith("/")
    )
    return (*served_files, *untracked_root_prefixes(), *omni_settings.UNTRACKED_PATHS)


class OmniRequest:
    """The plugin's view of one request, available as ``request.omni``.

    ``response_cookies`` maps a cookie's name to the (value, ``set_cookie`` options) that
    ``finish`` sets on the response, so that code run while rendering can set cookies;
    ``finishers`` are callables ``fn()`` that ``finish`` runs, for work batched over the
    whole request (the banners' impressions). ``sets_cookies`` False keeps every cookie
    of the plugin off the response, as does a response the shop marks as shareable.
    ``memo`` keeps what the parts of one page share, such as the visitor's segments.
    """

    def __init__(self, request):
        self.request = request
        self.tracked = not request.path.startswith(untracked_path_prefixes()) and not (
            _has_session(request) and request.session.get(PREVIEW_SESSION_KEY)
        )
        self.user_agent = request.headers.get("User-Agent", "")
        self.pending = []
        self.response_cookies = {}
        self.finishers = []
        self.sets_cookies = True
        cookie_visitor_id = read_visitor_id(request) if self.trackable else None
        self.visitor_id = cookie_visitor_id or new_visitor_id()
        self.visitor_is_new = cookie_visitor_id is None
        self._memos = {}

    def memo(self, key, compute):
        """What ``compute()`` returns, worked out once per request and kept under ``key``
        (the caller's module path and a name, so that apps never collide)."""
        if key not in self._memos:
            self._memos[key] = compute()
        return self._memos[key]

    def memo_made(self, key):
        """Whether ``memo`` holds a value under ``key`` yet."""
        return key in self._memos

    @cached_property
    def device(self):
        return device_class(self.user_agent)

    @cached_property
    def geo(self):
        """The visitor's coarse location, a ``omni_plugin.geo.context.GeoContext``."""
        return geo_for_request(self.request)

    def coarse_context(self):
        """What the profile keeps about where and on what the visitor is: never the IP.

        A request that cannot be placed leaves the profile's last known location alone.
        """
        if not self.geo.known:
            return {"device": self.device}
        return {"geo": self.geo.coarse(), "device": self.device}

    @cached_property
    def arrival(self):
        """The UTM parameters and referring site this request arrived with, or {}."""
        return arrival_source(self.request)

    def note_arrival(self):
        """Record a visit that came from a campaign link or another site."""
        if self.trackable and self.request.method == "GET" and self.arrival:
            from .events import new_event  # events imports this module

            self.pending.append(new_event("visit_started", data=self.arrival))

    @cached_property
    def trackable(self):
        """Whether this request may create or change a profile: a page, not a bot."""
        return self.tracked and self.device != BOT

    @cached_property
    def profile(self):
        """The visitor's ``CachedProfile``, or None before their first meaningful event."""
        if self.visitor_is_new:
            return None
        return profiles.profile_for_visitor(self.visitor_id)

    def use_profile(self, cached_profile):
        """Point this request at another profile (after a login, a merge or a switch)."""
        self.profile = cached_profile
        if cached_profile is None:
            profiles.forget_visitor(self.visitor_id)
        else:
            profiles.remember(self.visitor_id, cached_profile)

    def start_new_visitor(self):
        """A fresh visitor id, so the next person on this browser starts a profile of their own."""
        self.flush()
        self.visitor_id = new_visitor_id()
        self.visitor_is_new = True
        self.profile = None

    def flush(self):
        """Write the pending events, creating the visitor's profile on the first one."""
        if not self.pending:
            return
        from .events import ProfileErased, write_events  # events imports this module

        events, self.pending = self.pending, []
        if self.profile is not None:
            try:
                self.use_profile(
                    write_events(
                        self.profile.id, events, known=self.profile, context=self.coarse_context()
                    )
                )
                return
            except ProfileErased:
                self.use_profile(None)  # erased from another tab: this browser starts afresh
                self.visitor_id, self.visitor_is_new = new_visitor_id(), True
        self.use_profile(create_visitor_profile(self.visitor_id, events, self.coarse_context()))

    def ensure_profile(self):
        """The visitor's profile, created now if they have none yet."""
        self.flush()
        if self.profile is None:
            self.use_profile(create_visitor_profile(self.visitor_id, [], self.coarse_context()))
        return self.profile

    def finish(self, response):
        quiet = not self.sets_cookies or is_shareable(response)
        if not quiet:
            for name, (value, options) in self.response_cookies.items():
                response.set_cookie(name, value, **options)
        for finisher in self.finishers:
            finisher()
        for hook in _response_hooks:
            try:
                hook(self.request, response)
            except Exception:  # what a hook adds must never cost the visitor the page
                logger.exception("The response hook %r failed.", hook)
        if not self.trackable:
            return
        self.flush()
        if self.visitor_is_new and not quiet:
            set_visitor_cookie(response, self.visitor_id)


_response_hooks = []


def register_response_hook(hook):
    """Have ``hook(request, response)`` called on every response the middleware finishes."""
    if hook not in _response_hooks:
        _response_hooks.append(hook)


def is_shareable(response):
    """Whether the shop marked the response for shared caches: the plugin sets no cookie on it."""
    directives = response.get("Cache-Control", "")
    return "public" in directives or "s-maxage" in directives


def _has_session(request):
    # Reading the session of a visitor who has none would add "Vary: Cookie" to every page.
    return hasattr(request, "session") and settings.SESSION_COOKIE_NAME in request.COOKIES


def create_visitor_profile(visitor_id, events, context=None):
    """A profile for a visitor's first events; a concurrent request may have made it first.

    ``context`` holds the coarse geo and device to keep in the snapshot.
    """
    from omni_plugin.core.models import Event, Identifier, Profile

    from .events import write_events

    try:
        with transaction.atomic():
            snapshot = snapshots.rebuild(events)
            snapshot.update(context or {})
            profile = Profile.objects.create(snapshot=snapshot, version=1)
            Identifier.objects.create(
                profile=profile, kind=Identifier.Kind.VISITOR, value=visitor_id
            )
            Event.objects.bulk_create([event.to_model(profile.pk) for event in events])
    except IntegrityError:
        profiles.forget_visitor(visitor_id)
        existing = profiles.profile_for_visitor(visitor_id)
        return write_events(existing.id, events, context=context)
    return profiles.CachedProfile(profile.pk, snapshot, 1)
