"""Settings of the demo shop: Oscar 4.2, Wagtail 8 and Oscar Omni in one project.

Configured from the environment:

- ``DATABASE_URL`` (default: SQLite in ``sandbox/db.sqlite3``), e.g.
  ``postgres://postgres@127.0.0.1:5432/test``;
- ``REDIS_URL`` (default: the local-memory cache), e.g. ``redis://127.0.0.1:6379/0``;
- ``CELERY_BROKER_URL`` (default: none, background work runs in-process), e.g.
  ``redis://127.0.0.1:6379/1``: the plugin's tasks then run on Celery workers;
- ``OMNI_ENABLED`` (default ``1``): ``0`` switches the plugin off;
- ``SECRET_KEY``, ``DEBUG`` and ``ALLOWED_HOSTS`` for anything beyond a local demo.
"""

import os
from pathlib import Path

import dj_database_url
from oscar import INSTALLED_APPS as OSCAR_INSTALLED_APPS
from oscar.defaults import *  # noqa: F403  (Oscar's documented way to start its settings)

from omni_plugin import OMNI_APPS

SANDBOX_DIR = Path(__file__).resolve().parent

SECRET_KEY = os.environ.get("SECRET_KEY", "demo-only-secret-key-change-me-in-production")
DEBUG = os.environ.get("DEBUG", "1") == "1"
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,0.0.0.0,testserver").split(",")

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{SANDBOX_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite as a web server's database: write-ahead log, one fsync per checkpoint rather
    # than per commit, and write transactions that queue instead of failing as "locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

REDIS_URL = os.environ.get("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "omni_plugin.core.resilient_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "sandbox",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work: in-process, or on Celery workers with a broker (docs/deploying.md).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL")
if CELERY_BROKER_URL:
    TASKS = {"default": {"BACKEND": "omni_plugin.tasks.celery_backend.CeleryBackend"}}

OMNI_ENABLED = os.environ.get("OMNI_ENABLED", "1") != "0"

# The shop's forks of Oscar's apps: the partner app's strategy knows the stores, and the
# shipping and checkout apps offer click and collect.
OSCAR_FORKS = {
    "oscar.apps.partner.apps.PartnerConfig": "sandbox.partner.apps.PartnerConfig",
    "oscar.apps.shipping.apps.ShippingConfig": "sandbox.shipping.apps.ShippingConfig",
    "oscar.apps.checkout.apps.CheckoutConfig": "sandbox.checkout.apps.CheckoutConfig",
}

INSTALLED_APPS = [
    *(OSCAR_FORKS.get(app, app) for app in OSCAR_INSTALLED_APPS),
    "sorl.thumbnail",  # Oscar's default thumbnailer
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    *OMNI_APPS,
    # The demo shop itself
    "sandbox.cms",
    "sandbox.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "omni_plugin.core.middleware.OmniMiddleware",
]

ROOT_URLCONF = "sandbox.urls"
WSGI_APPLICATION = "sandbox.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SANDBOX_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.media",
                "django.template.context_processors.static",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
            ],
        },
    }
]

AUTHENTICATION_BACKENDS = [
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LANGUAGE_CODE = "en-gb"
# One language: Oscar then shows no language form, whose CSRF token would make every
# page personal and keep it out of shared caches.
LANGUAGES = [("en-gb", "English")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
SITE_ID = 1
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

STATIC_URL = "/static/"
STATIC_ROOT = SANDBOX_DIR / "static_collected"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", SANDBOX_DIR / "media"))

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

LOGIN_URL = "customer:login"

# Oscar
OSCAR_SHOP_NAME = "Oscar Omni demo"
OSCAR_SHOP_TAGLINE = "Omnichannel"
OSCAR_ALLOW_ANON_CHECKOUT = True
OSCAR_INITIAL_ORDER_STATUS = "Pending"
OSCAR_INITIAL_LINE_STATUS = "Pending"
# Click and collect orders go on to "Ready for collection", then "Collected", or "Not
# collected" when the hold runs out, and "Returned" if brought back (OMNI_PICKUP_*_STATUS).
OSCAR_ORDER_STATUS_PIPELINE = {
    "Pending": ("Being processed", "Ready for collection", "Cancelled"),
    "Being processed": ("Ready for collection", "Complete", "Cancelled"),
    "Ready for collection": ("Collected", "Not collected", "Cancelled"),
    "Cancelled": (),
    "Complete": (),
    "Collected": ("Returned",),
    "Not collected": (),
    "Returned": (),
}
# Oscar's catalogue and category pages are search views: they need a real index.
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
        "PATH": str(SANDBOX_DIR / "whoosh_index"),
    }
}
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.RealtimeSignalProcessor"
THUMBNAIL_KEY_PREFIX = "sandbox"

# Wagtail
WAGTAIL_SITE_NAME = "Oscar Omni demo"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# The demo's GeoIP2 database, written by ``manage.py omni_demo`` (sandbox/demo/geoip.py).
# Web push: a pair for the demo only. A shop makes its own with manage.py omni_vapid_keys
# and keeps the private key out of its repository, as these environment variables allow.
OMNI_PUSH_VAPID_PUBLIC_KEY = os.environ.get(
    "OMNI_PUSH_VAPID_PUBLIC_KEY",
    "BC0_9GOiDdNluYHfdnNwN9gzGszQEdDwBAgZVg9yzLMBbdBcpx3NB36NmzkaSdCYw2XxGjzOg1GEaSnkxLnXJUM",
)
OMNI_PUSH_VAPID_PRIVATE_KEY = os.environ.get(
    "OMNI_PUSH_VAPID_PRIVATE_KEY", "NT_7uqpEXDR5Gte8eHQhD7kPQBNaWzirWrHfTe9lKNo"
)
OMNI_PUSH_VAPID_SUBJECT = os.environ.get(
    "OMNI_PUSH_VAPID_SUBJECT", "mailto:webmaster@oscar-omni-demo.com"
)

DEMO_GEOIP_DATABASE = SANDBOX_DIR / "geoip" / "demo-city.mmdb"
if DEMO_GEOIP_DATABASE.is_file():
    OMNI_GEOIP_PATH = str(DEMO_GEOIP_DATABASE)
