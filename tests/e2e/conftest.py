import pytest
from django.conf import settings


@pytest.fixture
def page_tree(transactional_db):
    """Wagtail's root page, which its migrations make and the flush that ends an earlier
    transactional test takes away: the demo's home page goes under it."""
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale, Page

    if Page.get_first_root_node() is None:
        language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
        locale, _ = Locale.objects.get_or_create(language_code=language)
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
