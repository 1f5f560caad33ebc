"""Device classes from the User-Agent header: mobile, tablet, desktop or bot."""

from functools import lru_cache

import user_agents

MOBILE, TABLET, DESKTOP, BOT = "mobile", "tablet", "desktop", "bot"
# Every browser a person uses sends "Mozilla/5.0 (...)"; scripts and HTTP libraries don't.
BROWSER_PREFIXES = ("Mozilla/", "Opera/")
AUTOMATED_BROWSERS = {"HeadlessChrome", "PhantomJS"}


@lru_cache(maxsize=4096)
def device_class(user_agent):
    """Parsing a user agent costs ~100 µs; visitors repeat theirs on every request."""
    if not user_agent.startswith(BROWSER_PREFIXES):
        return BOT
    parsed = user_agents.parse(user_agent)
    if parsed.is_bot or parsed.browser.family in AUTOMATED_BROWSERS:
        return BOT
    if parsed.is_tablet:
        return TABLET
    if parsed.is_mobile:
        return MOBILE
    return DESKTOP
