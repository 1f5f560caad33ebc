import pytest
from oscar.test.factories import create_product


@pytest.fixture
def sold_out(category):
    """A product sold out online: its warehouse record has none left."""
    product = create_product(title="Enamel Camping Mug", price="12.50", num_in_stock=0)
    product.categories.add(category)
    return product
