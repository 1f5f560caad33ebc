"""Oscar's and Django's signals, turned into events on the customer's profile."""

from decimal import Decimal

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_delete
from django.dispatch import receiver
from oscar.apps.basket.signals import basket_addition, voucher_addition
from oscar.apps.catalogue.reviews.signals import review_added
from oscar.apps.catalogue.signals import product_viewed
from oscar.apps.checkout.signals import start_checkout
from oscar.apps.customer.signals import user_registered
from oscar.apps.order.signals import order_placed, order_status_changed
from oscar.apps.search.signals import user_search
from oscar.core.loading import get_model

from omni_plugin.core.models import Merge

from .context import current_request
from .events import record
from .identity import identify_user
from .orders import order_event_fields, profile_for_order

BasketLine = get_model("basket", "Line")
SEARCH_QUERY_LENGTH = 200


def _basket_state(basket):
    lines = basket.all_lines()
    return {
        "value": basket.total_incl_tax,
        "data": {"lines": len(lines), "products": [line.product_id for line in lines]},
    }


@receiver(product_viewed)
def product_was_viewed(sender, product, request, **kwargs):
    record("product_viewed", request=request, product=product)


@receiver(basket_addition)
def product_added_to_basket(sender, product, request, **kwargs):
    state = _basket_state(request.basket)
    record("basket_addition", request=request, product=product, **state)


@receiver(post_delete, sender=BasketLine)
def basket_line_removed(sender, instance, **kwargs):
    request = current_request.get()
    if request is None:
        return
    remaining = list(
        BasketLine.objects.filter(basket_id=instance.basket_id).values_list(
            "product_id", "price_incl_tax", "quantity"
        )
    )
    record(
        "basket_line_removed",
        request=request,
        product=instance.product_id,
        value=sum((price * quantity for _, price, quantity in remaining if price), Decimal("0.00")),
        data={
            "lines": len(remaining),
            "products": [product_id for product_id, _, _ in remaining],
            "quantity": instance.quantity,
        },
    )


@receiver(voucher_addition)
def voucher_added(sender, basket, voucher, **kwargs):
    record("voucher_addition", value=basket.total_incl_tax, data={"code": voucher.code})


@receiver(start_checkout)
def checkout_started(sender, request, **kwargs):
    record("start_checkout", request=request, **_basket_state(request.basket))


@receiver(order_placed)
def order_was_placed(sender, order, user, **kwargs):
    profile_id = profile_for_order(order, request=current_request.get())
    record("order_placed", profile=profile_id, **order_event_fields(order))


@receiver(order_status_changed)
def order_status_was_changed(sender, order, old_status, new_status, **kwargs):
    record(
        "order_status_changed",
        profile=profile_for_order(order),
        order_number=order.number,
        data={"old_status": old_status, "new_status": new_status},
    )


@receiver(user_registered)
def user_has_registered(sender, request, user, **kwargs):
    identify_user(request, user, Merge.Reason.REGISTRATION)
    record("user_registered", request=request)


@receiver(user_logged_in)
def user_has_logged_in(sender, request, user, **kwargs):
    if request is None:
        return
    identify_user(request, user, Merge.Reason.LOGIN)
    record("user_logged_in", request=request)


@receiver(user_logged_out)
def user_has_logged_out(sender, request, **kwargs):
    omni = getattr(request, "omni", None)
    if omni is not None and omni.trackable:
        omni.start_new_visitor()


@receiver(user_search)
def user_has_searched(sender, query, **kwargs):
    if query:
        record("user_search", data={"query": query[:SEARCH_QUERY_LENGTH]})


@receiver(review_added)
def review_was_added(sender, review, request, **kwargs):
    record("review_added", request=request, product=review.product_id, data={"score": review.score})
