"""Oscar Omni: omnichannel for django-oscar shops with Wagtail."""

#: The apps a shop adds to ``INSTALLED_APPS``: ``INSTALLED_APPS = [..., *OMNI_APPS]``.
#: They are listed from the bottom layer up (see docs/development.md), the hub last.
OMNI_APPS = [
    "omni_plugin.geo",
    "omni_plugin.core",
    "omni_plugin.personalization",
    "omni_plugin.messaging",
    "omni_plugin.stores",
    "omni_plugin.push",
    "omni_plugin.banners",
    "omni_plugin.pos",
    "omni_plugin",
]
