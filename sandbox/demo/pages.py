"""The demo shop's Wagtail pages: the home page at the site root and the pages linked from it."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from sandbox.cms.models import ContentPage, HomePage

from .summary import counted, summarise


@dataclass(frozen=True)
class PageText:
    """A page's title, slug and body as ("heading" | "paragraph", text) blocks."""

    title: str
    slug: str
    blocks: tuple[tuple[str, str], ...]

    def body(self):
        return [
            (kind, RichText(f"<p>{text}</p>") if kind == "paragraph" else text)
            for kind, text in self.blocks
        ]


HOME = PageText(
    title="Thoughtful gifts, in store and online",
    slug="home",
    blocks=(
        (
            "paragraph",
            "We are an independent gift shop with a small team, three shops and a warehouse "
            "full of things we love: enamel mugs, linen tea towels, soy candles, knitwear, "
            "garden tools, jigsaws and notebooks.",
        ),
        (
            "paragraph",
            "Order online for delivery anywhere in the UK, or reserve online and collect from "
            "your nearest shop the same day.",
        ),
        ("heading", "New this season"),
        (
            "paragraph",
            "Our autumn range has arrived: speckled stoneware, cable-knit cardigans, cedar bird "
            "feeders and a shelf of new 1000-piece jigsaws for the long evenings.",
        ),
        ("heading", "Free delivery"),
        (
            "paragraph",
            "Every order ships free to UK addresses, usually within two working days.",
        ),
    ),
)

CONTENT_PAGES = (
    PageText(
        title="About us",
        slug="about-us",
        blocks=(
            (
                "paragraph",
                "We opened our first shop in 2009 with a handful of mugs, a shelf of notebooks "
                "and a belief that everyday things should be a pleasure to use.",
            ),
            (
                "paragraph",
                "Today we work with more than eighty makers, most of them within a day's drive "
                "of one of our shops. We visit every workshop we buy from, and we only sell what "
                "we would be happy to give as a present ourselves.",
            ),
            ("heading", "How we choose"),
            (
                "paragraph",
                "Natural materials, honest prices and things made to last. If something does "
                "not survive a year in our own kitchens and gardens, it does not make it onto "
                "our shelves.",
            ),
        ),
    ),
    PageText(
        title="Delivery & returns",
        slug="delivery-and-returns",
        blocks=(
            ("heading", "Delivery"),
            (
                "paragraph",
                "Delivery to any UK address is free. Orders placed before 2pm on a working day "
                "are usually dispatched the same day and arrive within two working days.",
            ),
            (
                "paragraph",
                "We will email you a tracking link as soon as your parcel leaves our warehouse.",
            ),
            ("heading", "Returns"),
            (
                "paragraph",
                "Changed your mind? Send anything back unused within 30 days for a full refund. "
                "You can also return online orders to any of our shops.",
            ),
            (
                "paragraph",
                "Personalised items and opened candles cannot be returned unless they are faulty.",
            ),
        ),
    ),
    PageText(
        title="Our stores",
        slug="our-stores",
        blocks=(
            (
                "paragraph",
                "Visit us in London, Manchester and Edinburgh. Every shop stocks most of the "
                "online range, gift wraps for free and accepts returns of online orders.",
            ),
            ("heading", "London, Covent Garden"),
            (
                "paragraph",
                "12 Neal Street, London WC2H 9PU. "
                "Open Monday to Saturday 10am to 7pm, Sunday 11am to 5pm.",
            ),
            ("heading", "Manchester, Northern Quarter"),
            (
                "paragraph",
                "48 Oldham Street, Manchester M4 1LE. "
                "Open Monday to Saturday 9.30am to 6pm, Sunday 11am to 5pm.",
            ),
            ("heading", "Edinburgh, Stockbridge"),
            (
                "paragraph",
                "7 Raeburn Place, Edinburgh EH4 1HN. Open every day 10am to 6pm.",
            ),
        ),
    ),
)


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def create_home_page():
    """The home page, replacing Wagtail's "Welcome" page as the default site's root."""
    root = Page.get_first_root_node()
    # Deleting Wagtail's initial page also deletes the site pointing at it (as Wagtail's own
    # project template does), so the site is set up again below.
    root.get_children().filter(
        content_type=ContentType.objects.get_for_model(Page), slug=HOME.slug
    ).delete()
    root.refresh_from_db()
    home = _publish(root, HomePage(title=HOME.title, slug=HOME.slug, body=HOME.body()))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"root_page": home},
        create_defaults={
            "hostname": "localhost",
            "root_page": home,
            "site_name": settings.WAGTAIL_SITE_NAME,
        },
    )
    return home


def create_pages():
    home = HomePage.objects.first()
    home_created = home is None
    if home_created:
        home = create_home_page()
    existing_slugs = set(home.get_children().values_list("slug", flat=True))
    new_pages = [
        _publish(
            home,
            ContentPage(title=text.title, slug=text.slug, body=text.body(), show_in_menus=True),
        )
        for text in CONTENT_PAGES
        if text.slug not in existing_slugs
    ]
    return summarise(
        [counted(home_created, "home page"), counted(len(new_pages), "content page")],
        existing=f"home page and {len(CONTENT_PAGES)} content pages",
    )
