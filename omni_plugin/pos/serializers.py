"""What the POS API reads and answers, as DRF serializers (and so in the OpenAPI schema)."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from omni_plugin.core.models import Consent
from omni_plugin.pos.models import PosApiKey

from ..conf import omni_settings
from .products import REFERENCES

CLIENT_ID = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"
#: How far ahead of the shop's clock a till's clock may run.
CLOCK_SKEW = timedelta(minutes=5)
MONEY = {"max_digits": 12, "decimal_places": 2}


def exactly_one_of(names, data):
    given = [name for name in names if data.get(name) not in (None, "")]
    if len(given) != 1:
        raise serializers.ValidationError(
            _("Give exactly one of %(names)s.") % {"names": ", ".join(names)}
        )
    return given[0]


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in one sentence.")
    errors = serializers.JSONField(
        required=False, help_text="For refused input: DRF's messages for each field."
    )


class StoreSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class KeySerializer(serializers.Serializer):
    store = StoreSerializer()
    till = serializers.CharField()
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=PosApiKey.Scope.choices))


class IdentificationSerializer(serializers.Serializer):
    """How the till identifies a customer: exactly one of these."""

    loyalty_card = serializers.CharField(required=False, max_length=64)
    email = serializers.CharField(required=False, max_length=254)
    phone = serializers.CharField(required=False, max_length=32)
    qr = serializers.CharField(
        required=False, max_length=512, help_text="The text of the QR code the customer shows."
    )

    def validate(self, data):
        how = exactly_one_of(list(self.fields), data)
        return {"how": how, "value": data[how]}


class ConsentDecisionSerializer(serializers.Serializer):
    status = serializers.CharField()
    source = serializers.CharField()
    at = serializers.DateTimeField()


class SegmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()


class CategorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PickupLineSerializer(serializers.Serializer):
    product = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    upc = serializers.CharField(allow_blank=True)
    quantity = serializers.IntegerField()


class PickupSerializer(serializers.Serializer):
    order = serializers.CharField(help_text="The Oscar order number.")
    status = serializers.CharField()
    placed_at = serializers.DateTimeField()
    ready_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)
    name = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)
    total = serializers.DecimalField(**MONEY)
    currency = serializers.CharField()
    lines = PickupLineSerializer(many=True)


class RecommendationSerializer(serializers.Serializer):
    product = serializers.IntegerField()
    title = serializers.CharField()
    upc = serializers.CharField(allow_blank=True)
    sku = serializers.CharField(help_text="The store's SKU of the product.")
    reason = serializers.CharField()


class AlertSerializer(serializers.Serializer):
    product = serializers.IntegerField()
    title = serializers.CharField()
    store = serializers.CharField(
        allow_blank=True, help_text="The code of the store it waits for; empty for online."
    )
    kind = serializers.ChoiceField(choices=["back_in_stock", "price_drop"])
    asked_at = serializers.DateTimeField()
    in_stock_here = serializers.BooleanField(
        help_text="Whether the till's store can sell the product now."
    )


class CustomerSummarySerializer(serializers.Serializer):
    """One field per section of ``omni_plugin.pos.summary.SECTIONS``."""

    id = serializers.CharField(help_text="The customer's reference, for their orders.")
    name = serializers.CharField(allow_blank=True)
    consents = serializers.DictField(child=ConsentDecisionSerializer())
    segments = SegmentSerializer(many=True)
    favourite_categories = CategorySerializer(many=True)
    open_pickups = PickupSerializer(many=True)
    recommendations = RecommendationSerializer(many=True)
    alerts = AlertSerializer(
        many=True,
        required=False,
        help_text="The customer's alerts still waiting, when the shop runs the stores app.",
    )


class EnrolmentSerializer(serializers.Serializer):
    email = serializers.CharField(required=False, max_length=254)
    phone = serializers.CharField(required=False, max_length=32)
    loyalty_card = serializers.CharField(required=False, max_length=64)
    name = serializers.CharField(required=False, allow_blank=True, max_length=150, default="")
    consents = serializers.DictField(
        child=serializers.ChoiceField(choices=[Consent.Status.GRANTED, Consent.Status.DENIED]),
        allow_empty=False,
        help_text="The customer's answer for each purpose they were asked about: "
        f"{', '.join(Consent.Purpose.values)}.",
    )

    def validate_consents(self, consents):
        unknown = sorted(set(consents) - set(Consent.Purpose.values))
        if unknown:
            raise serializers.ValidationError(
                _("%(purpose)r is not a consent purpose; use %(purposes)s.")
                % {"purpose": unknown[0], "purposes": ", ".join(Consent.Purpose.values)}
            )
        return consents

    def validate(self, data):
        identifiers = {
            how: data[how] for how in ("email", "phone", "loyalty_card") if data.get(how)
        }
        if not identifiers:
            raise serializers.ValidationError(
                _("Give at least one of email, phone or loyalty_card.")
            )
        return {"identifiers": identifiers, "consents": data["consents"], "name": data["name"]}


class ProductReferenceSerializer(serializers.Serializer):
    """A product, named by exactly one of its id, its UPC or the store's SKU."""

    product = serializers.IntegerField(required=False, min_value=1)
    upc = serializers.CharField(required=False, max_length=64)
    sku = serializers.CharField(required=False, max_length=128)

    def validate(self, data):
        exactly_one_of(REFERENCES, data)
        return data


class OrderLineSerializer(ProductReferenceSerializer):
    quantity = serializers.IntegerField(min_value=1, max_value=10_000)
    unit_price = serializers.DecimalField(min_value=0, **MONEY)


class OrderCustomerSerializer(serializers.Serializer):
    id = serializers.CharField(
        required=False, max_length=128, help_text="The reference a lookup answered."
    )
    loyalty_card = serializers.CharField(required=False, max_length=64)

    def validate(self, data):
        how = exactly_one_of(["id", "loyalty_card"], data)
        return {how: data[how]}


class StoreOrderSerializer(serializers.Serializer):
    id = serializers.RegexField(
        CLIENT_ID,
        help_text="The till's own id for the sale (1 to 64 letters, digits and . _ : -), "
        "kept for good: the same id is recorded once per store.",
    )
    placed_at = serializers.DateTimeField()
    currency = serializers.RegexField(r"^[A-Z]{3}$", required=False)
    customer = OrderCustomerSerializer(required=False, allow_null=True)
    lines = OrderLineSerializer(many=True, allow_empty=False, max_length=500)
    discount = serializers.DecimalField(
        min_value=0, required=False, default=Decimal("0.00"), **MONEY
    )
    total = serializers.DecimalField(min_value=0, **MONEY)

    def validate_placed_at(self, placed_at):
        if placed_at > timezone.now() + CLOCK_SKEW:
            raise serializers.ValidationError(_("This is in the future: check the till's clock."))
        return placed_at

    def validate(self, data):
        data.setdefault("currency", settings.OSCAR_DEFAULT_CURRENCY)
        lines = sum(line["quantity"] * line["unit_price"] for line in data["lines"])
        if data["total"] != lines - data["discount"]:
            raise serializers.ValidationError(
                {
                    "total": _(
                        "%(total)s is not the lines' %(lines)s less the discount %(discount)s."
                    )
                    % {"total": data["total"], "lines": lines, "discount": data["discount"]}
                }
            )
        return data


class OrderLineAnswerSerializer(serializers.Serializer):
    product = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(**MONEY)


class StoreOrderAnswerSerializer(serializers.Serializer):
    id = serializers.CharField()
    number = serializers.CharField(help_text="The order number its events carry.")
    store = serializers.CharField()
    customer = serializers.CharField(allow_null=True, help_text="The customer's reference.")
    placed_at = serializers.DateTimeField()
    received_at = serializers.DateTimeField()
    currency = serializers.CharField()
    discount = serializers.DecimalField(**MONEY)
    total = serializers.DecimalField(**MONEY)
    lines = OrderLineAnswerSerializer(many=True)


class BatchSerializer(serializers.Serializer):
    """Read as plain objects: each order is checked on its own, and answered on its own."""

    orders = serializers.ListField(
        child=serializers.JSONField(),
        allow_empty=False,
        help_text="Orders, as POST /orders/ takes.",
    )

    def validate_orders(self, orders):
        if len(orders) > omni_settings.POS_BATCH_SIZE:
            raise serializers.ValidationError(
                _("A batch holds at most %(size)d orders; send these in several.")
                % {"size": omni_settings.POS_BATCH_SIZE}
            )
        return orders


class BatchDocumentationSerializer(serializers.Serializer):
    orders = StoreOrderSerializer(many=True)


class BatchResultSerializer(serializers.Serializer):
    id = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=["accepted", "duplicate", "rejected"])
    reason = serializers.CharField(allow_blank=True)


class BatchAnswerSerializer(serializers.Serializer):
    accepted = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    rejected = serializers.IntegerField()
    results = BatchResultSerializer(many=True)


class StockItemSerializer(ProductReferenceSerializer):
    level = serializers.IntegerField(required=False, min_value=0, max_value=2_000_000_000)
    delta = serializers.IntegerField(
        required=False, min_value=-2_000_000_000, max_value=2_000_000_000
    )

    def validate(self, data):
        data = super().validate(data)
        exactly_one_of(["level", "delta"], data)
        return data


class StockReportSerializer(serializers.Serializer):
    id = serializers.RegexField(
        CLIENT_ID,
        required=False,
        help_text="The till's own id for the report: a report with an id is applied once.",
    )
    items = StockItemSerializer(many=True, allow_empty=False, max_length=5000)


class StockChangeSerializer(serializers.Serializer):
    product = serializers.IntegerField(source="product_id")
    sku = serializers.CharField()
    previous = serializers.IntegerField()
    level = serializers.IntegerField()


class StockAnswerSerializer(serializers.Serializer):
    duplicate = serializers.BooleanField(help_text="The report's id was applied before.")
    changes = StockChangeSerializer(many=True)


class CollectionSerializer(serializers.Serializer):
    customer = IdentificationSerializer(help_text="Who collects: it must be who ordered.")
