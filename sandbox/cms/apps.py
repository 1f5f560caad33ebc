from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "sandbox.cms"
    label = "cms"
    verbose_name = "Demo pages"
