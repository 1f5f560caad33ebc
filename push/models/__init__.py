from .campaigns import Campaign, Urgency
from .deliveries import Delivery
from .subscriptions import PushSubscription

__all__ = ["Campaign", "Delivery", "PushSubscription", "Urgency"]
