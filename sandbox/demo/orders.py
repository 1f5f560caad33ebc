"""Past orders of the demo customers, placed through Oscar's own checkout machinery."""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from .catalogue import ONLINE_WAREHOUSE_CODE, product_specs
from .customers import DEMO_CUSTOMERS, demo_customers
from .summary import counted, summarise

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
StockRecord = get_model("partner", "StockRecord")
UserAddress = get_model("address", "UserAddress")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Repository = get_class("shipping.repository", "Repository")
Selector = get_class("partner.strategy", "Selector")
SurchargeApplicator = get_class("checkout.applicator", "SurchargeApplicator")

SEED = 2025
NUMBER_OF_ORDERS = 20
DAYS_BETWEEN_ORDERS = 9
#: Only products with plenty of stock are ordered, so no order takes a product out of stock.
MIN_STOCK_TO_ORDER = 10
COMPLETE = "Complete"
#: The newest orders are still moving through the sandbox's OSCAR_ORDER_STATUS_PIPELINE.
STATUSES_OF_NEWEST = ("Being processed", "Being processed", "Being processed", "Pending", "Pending")


@dataclass(frozen=True)
class PastOrder:
    number: str
    customer_index: int
    lines: tuple[tuple[str, int], ...]
    age: timedelta
    status: str


def past_orders():
    """The demo orders, oldest first, always the same ones."""
    rng = random.Random(SEED)
    orderable_skus = [
        spec.partner_sku for spec in product_specs() if spec.num_in_stock >= MIN_STOCK_TO_ORDER
    ]
    statuses = [COMPLETE] * (NUMBER_OF_ORDERS - len(STATUSES_OF_NEWEST)) + list(STATUSES_OF_NEWEST)
    orders = []
    for number, status in enumerate(statuses, start=1):
        skus = rng.sample(orderable_skus, rng.choice((1, 1, 2, 2, 3)))
        orders.append(
            PastOrder(
                number=f"DEMO-{number:05d}",
                customer_index=rng.randrange(len(DEMO_CUSTOMERS)),
                lines=tuple((sku, rng.choice((1, 1, 1, 2))) for sku in skus),
                age=timedelta(
                    days=(NUMBER_OF_ORDERS - number) * DAYS_BETWEEN_ORDERS
                    + rng.randrange(DAYS_BETWEEN_ORDERS),
                    hours=rng.randint(1, 12),
                    minutes=rng.randrange(60),
                ),
                status=status,
            )
        )
    return orders


def _shipping_address(customer):
    address = ShippingAddress()
    UserAddress.objects.get(user=customer, is_default_for_shipping=True).populate_alternative_model(
        address
    )
    address.save()
    return address


def place_order(past_order, customer, stock_records, placed_at):
    basket = Basket.objects.create(owner=customer)
    basket.strategy = Selector().strategy(user=customer)
    for sku, quantity in past_order.lines:
        basket.add_product(stock_records[sku].product, quantity)
    shipping_address = _shipping_address(customer)
    shipping_method = Repository().get_default_shipping_method(
        basket=basket, shipping_addr=shipping_address
    )
    shipping_charge = shipping_method.calculate(basket)
    surcharges = SurchargeApplicator().get_applicable_surcharges(basket)
    order = OrderCreator().place_order(
        basket=basket,
        total=OrderTotalCalculator().calculate(basket, shipping_charge, surcharges=surcharges),
        shipping_method=shipping_method,
        shipping_charge=shipping_charge,
        surcharges=surcharges,
        user=customer,
        shipping_address=shipping_address,
        order_number=past_order.number,
        status=past_order.status,
        date_placed=placed_at,
    )
    basket.set_as_submitted()
    if past_order.status == COMPLETE:
        # A completed order has been shipped: its allocated stock has left the warehouse.
        for line in order.lines.select_related("stockrecord"):
            line.stockrecord.consume_allocation(line.quantity)
    if past_order.status != settings.OSCAR_INITIAL_LINE_STATUS:
        order.lines.update(status=past_order.status)
    return order


def create_past_orders():
    plans = past_orders()
    existing = set(
        Order.objects.filter(number__in=[plan.number for plan in plans]).values_list(
            "number", flat=True
        )
    )
    missing = [plan for plan in plans if plan.number not in existing]
    if missing:
        customers = demo_customers()
        stock_records = {
            record.partner_sku: record
            for record in StockRecord.objects.filter(
                partner__code=ONLINE_WAREHOUSE_CODE
            ).select_related("product")
        }
        now = timezone.now()
        for plan in missing:
            place_order(
                plan, customers[plan.customer_index], stock_records, placed_at=now - plan.age
            )
    return summarise([counted(len(missing), "past order")], existing=f"{len(plans)} past orders")
