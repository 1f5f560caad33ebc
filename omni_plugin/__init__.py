"""Oscar Omni: omnichannel for django-oscar shops with Wagtail."""

#: The apps a shop adds to ``INSTALLED_APPS``: ``INSTALLED_APPS = [..., *OMNI_APPS]``.
OMNI_APPS = [
    "omni_plugin",
    "geo",
    "personalization",
    "stores",
    "banners",
    "push",
]
