from .subscriptions import PushSubscription

__all__ = ["PushSubscription"]
