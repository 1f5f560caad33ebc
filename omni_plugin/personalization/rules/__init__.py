"""Segment rule types: each a StreamField block that knows how to test a visitor.

``RULES`` maps block names to rule blocks; a segment's ``rules`` field offers them all.
A new rule type is a subclass of ``Rule`` (or ``HistoryRule``) and one line here.
"""

from .activity import AbandonedBasketRule, ViewedRule
from .basket import BasketContainsRule, BasketValueRule
from .channels import ConsentRule, PushSubscriberRule
from .location import LocationRule, NearRule
from .purchases import InStoreShopperRule, OrdersRule, PurchasedRule, RecentOrdersRule
from .value import AffinityRule, RFMRule
from .visit import CampaignRule, CustomerGroupRule, DeviceRule, LocalTimeRule, VisitorRule

RULES = {
    "viewed": ViewedRule(),
    "abandoned_basket": AbandonedBasketRule(),
    "purchased": PurchasedRule(),
    "orders": OrdersRule(),
    "recent_orders": RecentOrdersRule(),
    "in_store": InStoreShopperRule(),
    "basket_value": BasketValueRule(),
    "basket_contains": BasketContainsRule(),
    "rfm": RFMRule(),
    "affinity": AffinityRule(),
    "location": LocationRule(),
    "near": NearRule(),
    "device": DeviceRule(),
    "local_time": LocalTimeRule(),
    "campaign": CampaignRule(),
    "visitor": VisitorRule(),
    "customer_group": CustomerGroupRule(),
    "push_subscriber": PushSubscriberRule(),
    "consent": ConsentRule(),
}


def rule_blocks():
    return list(RULES.items())
