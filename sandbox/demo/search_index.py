from django.core.management import call_command
from haystack import connections
from haystack.query import SearchQuerySet
from oscar.core.loading import get_model

from .summary import counted, summarise

Product = get_model("catalogue", "Product")


def index_catalogue():
    """Oscar's catalogue pages list products from the search index, which bulk inserts skip."""
    product_index = connections["default"].get_unified_index().get_index(Product)
    wanted = set(product_index.index_queryset().values_list("pk", flat=True))
    # The ids, not their number: a database rebuilt with new ids needs a new index.
    indexed = {int(pk) for pk in SearchQuerySet().models(Product).values_list("pk", flat=True)}
    if indexed == wanted:
        return summarise([], counted(len(wanted), "product") + " indexed")
    call_command("update_index", remove=True, verbosity=0)
    return summarise([counted(len(wanted), "indexed product")], "")
