"""The demo catalogue: categories, product class, warehouse, products, stock and images."""

import random
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from oscar.core.loading import get_model
from oscar.core.utils import slugify

from .assortment import DEPARTMENTS, SHELVES, Shelf
from .product_images import product_image_png
from .summary import counted, summarise

Category = get_model("catalogue", "Category")
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")

SEED = 2024
PRODUCTS_PER_SHELF = 20
#: EAN-13 codes in the UK's "50" range; the five digits before the check digit count products.
UPC_PREFIX = "5060001"
OUT_OF_STOCK_SHARE = 0.08
LOW_STOCK_THRESHOLD = 5
ONLINE_WAREHOUSE_CODE = "online-warehouse"
PRODUCT_CLASS_SLUG = "gift"

OPENINGS = (
    "Meet the {name}: simple, useful and good to look at.",
    "One of our customers' favourites: the {name}.",
    "A thoughtful gift, or a small treat for yourself: the {name}.",
    "Chosen by our buyers for everyday use: the {name}.",
    "New to our shelves this season: the {name}.",
)


@dataclass(frozen=True)
class ProductSpec:
    upc: str
    title: str
    description: str
    shelf: Shelf
    partner_sku: str
    price: Decimal
    num_in_stock: int


def ean13(first_twelve_digits):
    weighted = sum(
        int(digit) * (3 if position % 2 else 1)
        for position, digit in enumerate(first_twelve_digits)
    )
    return f"{first_twelve_digits}{(10 - weighted % 10) % 10}"


def product_specs():
    """Every demo product, always the same ones in the same order."""
    rng = random.Random(SEED)
    specs = []
    for shelf in SHELVES:
        names = [(style, item) for style in shelf.styles for item in shelf.items]
        for shelf_number, (style, item) in enumerate(
            rng.sample(names, PRODUCTS_PER_SHELF), start=1
        ):
            title = f"{style} {item}"
            sentences = [
                rng.choice(OPENINGS).format(name=title.lower()),
                *rng.sample(shelf.details, 2),
            ]
            low, high = shelf.price_range
            in_stock = rng.random() >= OUT_OF_STOCK_SHARE
            specs.append(
                ProductSpec(
                    upc=ean13(f"{UPC_PREFIX}{len(specs) + 1:05d}"),
                    title=title,
                    description=f"<p>{' '.join(sentences)}</p>",
                    shelf=shelf,
                    partner_sku=f"{shelf.sku_prefix}-{shelf_number:03d}",
                    price=Decimal(
                        f"{rng.randint(low, high - 1)}.{rng.choice(('00', '50', '95', '99'))}"
                    ),
                    num_in_stock=rng.randint(3, 60) if in_stock else 0,
                )
            )
    return specs


def _category(name, description, parent=None):
    siblings = parent.get_children() if parent else Category.get_root_nodes()
    existing = siblings.filter(name=name).first()
    if existing:
        return existing
    if parent:
        return parent.add_child(name=name, description=description)
    return Category.add_root(name=name, description=description)


def create_categories():
    """The department and shelf categories, keyed by shelf breadcrumbs."""
    departments = {
        department.name: _category(department.name, department.description)
        for department in DEPARTMENTS
    }
    return {
        shelf.breadcrumbs: _category(
            shelf.name, shelf.description, parent=departments[shelf.department]
        )
        for shelf in SHELVES
    }


def online_warehouse():
    partner, _ = Partner.objects.get_or_create(
        code=ONLINE_WAREHOUSE_CODE, defaults={"name": "Online warehouse"}
    )
    return partner


def gift_product_class():
    product_class, _ = ProductClass.objects.get_or_create(
        slug=PRODUCT_CLASS_SLUG,
        defaults={"name": "Gift", "track_stock": True, "requires_shipping": True},
    )
    return product_class


def create_products(specs, product_class):
    """The products keyed by UPC, creating those that don't exist yet."""
    upcs = [spec.upc for spec in specs]
    existing = set(Product.objects.filter(upc__in=upcs).values_list("upc", flat=True))
    Product.objects.bulk_create(
        Product(
            upc=spec.upc,
            title=spec.title,
            slug=slugify(spec.title),
            description=spec.description,
            product_class=product_class,
        )
        for spec in specs
        if spec.upc not in existing
    )
    return Product.objects.in_bulk(upcs, field_name="upc")


def file_products_in_categories(specs, products, categories):
    for breadcrumbs, category in categories.items():
        # Adding through the relation sends the signal that refreshes Oscar's optional
        # PostgreSQL materialised view of product categories.
        category.product_set.add(
            *(products[spec.upc] for spec in specs if spec.shelf.breadcrumbs == breadcrumbs)
        )


def create_stock_records(specs, products, partner):
    stocked = set(StockRecord.objects.filter(partner=partner).values_list("product_id", flat=True))
    StockRecord.objects.bulk_create(
        StockRecord(
            product=products[spec.upc],
            partner=partner,
            partner_sku=spec.partner_sku,
            price_currency=settings.OSCAR_DEFAULT_CURRENCY,
            price=spec.price,
            num_in_stock=spec.num_in_stock,
            low_stock_threshold=LOW_STOCK_THRESHOLD,
        )
        for spec in specs
        if products[spec.upc].pk not in stocked
    )


def _stored_image_name(product, spec):
    field = ProductImage._meta.get_field("original")
    name = field.generate_filename(ProductImage(product=product), f"{product.slug}-{spec.upc}.png")
    # The bytes depend only on the product, so a file left by an earlier demo database is
    # reused rather than stored again under a new, randomised name.
    if field.storage.exists(name):
        return name
    return field.storage.save(
        name, ContentFile(product_image_png(spec.title, spec.shelf.breadcrumbs))
    )


def create_product_images(specs, products):
    illustrated = set(
        ProductImage.objects.filter(product__in=products.values()).values_list(
            "product_id", flat=True
        )
    )
    ProductImage.objects.bulk_create(
        ProductImage(
            product=products[spec.upc],
            original=_stored_image_name(products[spec.upc], spec),
            caption=spec.title,
            display_order=0,
        )
        for spec in specs
        if products[spec.upc].pk not in illustrated
    )


def _counts():
    return {
        "categories": Category.objects.count(),
        "products": Product.objects.count(),
        "stock records": StockRecord.objects.count(),
        "images": ProductImage.objects.count(),
    }


def create_catalogue():
    counts_before = _counts()
    specs = product_specs()
    categories = create_categories()
    products = create_products(specs, gift_product_class())
    file_products_in_categories(specs, products, categories)
    create_stock_records(specs, products, online_warehouse())
    create_product_images(specs, products)
    counts_after = _counts()
    created = {noun: counts_after[noun] - counts_before[noun] for noun in counts_after}
    return summarise(
        [
            counted(created["categories"], "category", "categories"),
            counted(created["products"], "product"),
            counted(created["stock records"], "stock record"),
            counted(created["images"], "product image"),
        ],
        existing=f"{len(categories) + len(DEPARTMENTS)} categories, {len(products)} products",
    )
