"""The POS API's endpoints: each a small view over the modules that do the work.

Every view takes the caller's key from ``Authorization: Bearer``, needs the scope it
names, counts against the key's rate and logs the call. Errors are ``{"detail": ...}``:
400 for refused input (nothing changes), 401 without a valid key, 403 without the scope,
404 for what is not the store's, 409 for what clashes with the shop's state, 429 past
the rate.
"""

import time

from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from omni_plugin.pos.models import StoreOrder
from omni_plugin.stores.pickup_lifecycle import mark_collected, mark_ready, mark_returned

from . import serializers as api
from .authentication import ApiKeyAuthentication
from .calls import log_call
from .customers import CustomerNotFound, identify, reference
from .enrolment import enrol
from .errors import Conflict, first_message, pos_exception_handler
from .pickups import OPEN, check_collector, find_pickup, pickup_summary, pickups_at
from .scopes import HasScope, Scope
from .stock import apply_report
from .store_orders import ACCEPTED, DUPLICATE, REJECTED, record_orders
from .summary import summarise
from .throttling import KeyRateThrottle

ERRORS = {
    code: OpenApiResponse(api.ErrorSerializer, description=description)
    for code, description in {
        400: "The input was refused, and nothing changed.",
        401: "No valid key: missing, unknown or revoked.",
        403: "The key lacks the scope this needs.",
        404: "Not found at the key's store.",
        409: "It clashes with the shop's state, and nothing changed.",
        429: "Over the key's rate: retry after Retry-After seconds.",
    }.items()
}


def documented(operation_id, summary, *, request=None, responses, parameters=None):
    """``extend_schema`` with the answers every endpoint may give besides its own."""
    extend = extend_schema(
        operation_id=operation_id,
        summary=summary,
        request=request,
        responses={**ERRORS, **responses},
        parameters=parameters,
    )

    def decorate(method):
        method.schema = AutoSchema  # drf-spectacular's, whatever the shop's DRF default is
        return extend(method)

    return decorate


class PosView(APIView):
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasScope]
    throttle_classes = [KeyRateThrottle]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    schema = AutoSchema()
    #: The scope the key needs; None lets any valid key in.
    required_scope = None

    def get_exception_handler(self):
        return pos_exception_handler

    def dispatch(self, request, *args, **kwargs):
        started = time.perf_counter()
        response = super().dispatch(request, *args, **kwargs)
        log_call(request, self.caller(), response.status_code, time.perf_counter() - started)
        return response

    def caller(self):
        """The key of the call, or None when it had none that works, or failed before the
        key was read (an ``Accept`` the API cannot answer)."""
        try:
            return self.request.auth
        except exceptions.APIException:
            return None

    @property
    def store(self):
        return self.request.auth.store

    def validated(self, serializer_class, data=None):
        serializer = serializer_class(data=self.request.data if data is None else data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class KeyView(PosView):
    @documented(
        "key", "The calling key: its store, till and scopes", responses={200: api.KeySerializer}
    )
    def get(self, request):
        key = request.auth
        return Response(
            {
                "store": {"code": self.store.code, "name": self.store.name},
                "till": key.till,
                "scopes": key.scopes,
            }
        )


class CustomerLookupView(PosView):
    required_scope = Scope.CUSTOMERS_READ

    @documented(
        "customers_lookup",
        "Find a customer by loyalty card, email, phone or QR code",
        request=api.IdentificationSerializer,
        responses={200: api.CustomerSummarySerializer},
    )
    def post(self, request):
        identification = self.validated(api.IdentificationSerializer)
        profile_id = identify(identification["how"], identification["value"])
        return Response(summary_of(profile_id, self.store))


def summary_of(profile_id, store):
    return api.CustomerSummarySerializer(summarise(profile_id, store)).data


class CustomerEnrolmentView(PosView):
    required_scope = Scope.CUSTOMERS_WRITE

    @documented(
        "customers_enrol",
        "Enrol a new customer, with the consents they give at the till",
        request=api.EnrolmentSerializer,
        responses={201: api.CustomerSummarySerializer},
    )
    def post(self, request):
        enrolment = self.validated(api.EnrolmentSerializer)
        profile_id = enrol(self.store, **enrolment)
        return Response(summary_of(profile_id, self.store), status=status.HTTP_201_CREATED)


def order_answer(order):
    return api.StoreOrderAnswerSerializer(
        {
            "id": order.client_id,
            "number": order.number,
            "store": order.store.code,
            "customer": reference(order.profile_id) if order.profile_id else None,
            "placed_at": order.placed_at,
            "received_at": order.received_at,
            "currency": order.currency,
            "discount": order.discount,
            "total": order.total,
            "lines": [
                {
                    "product": line.product_id,
                    "title": line.title,
                    "quantity": line.quantity,
                    "unit_price": line.unit_price,
                }
                for line in order.lines.all()
            ],
        }
    ).data


class OrderView(PosView):
    required_scope = Scope.ORDERS_WRITE

    @documented(
        "orders_create",
        "Record an in-store order, once per id",
        request=api.StoreOrderSerializer,
        responses={
            201: api.StoreOrderAnswerSerializer,
            200: api.StoreOrderAnswerSerializer,
        },
    )
    def post(self, request):
        order = self.validated(api.StoreOrderSerializer)
        (outcome,) = record_orders(request.auth, [order])
        if outcome.conflict:
            raise Conflict(outcome.reason)
        if outcome.status == REJECTED:
            raise exceptions.ValidationError(outcome.reason)
        recorded = (
            StoreOrder.objects.select_related("store")
            .prefetch_related("lines")
            .get(store=self.store, client_id=order["id"])
        )
        created = outcome.status == ACCEPTED
        return Response(
            order_answer(recorded),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class OrderBatchView(PosView):
    required_scope = Scope.ORDERS_WRITE

    @documented(
        "orders_batch",
        "Record many in-store orders (a till's offline queue), each answered on its own",
        request=api.BatchDocumentationSerializer,
        responses={200: api.BatchAnswerSerializer},
    )
    def post(self, request):
        items = self.validated(api.BatchSerializer)["orders"]
        results = [None] * len(items)
        valid, positions = [], []
        checker = api.StoreOrderSerializer()  # one for all: its fields are built once
        for n, item in enumerate(items):
            try:
                valid.append(checker.run_validation(item))
                positions.append(n)
            except exceptions.ValidationError as refused:
                client_id = item.get("id") if isinstance(item, dict) else None
                results[n] = {
                    "id": client_id if isinstance(client_id, str) else None,
                    "status": REJECTED,
                    "reason": first_message(refused.detail),
                }
        for n, outcome in zip(positions, record_orders(request.auth, valid)):
            results[n] = {
                "id": outcome.client_id,
                "status": outcome.status,
                "reason": outcome.reason,
            }
        counts = {
            kind: sum(r["status"] == kind for r in results)
            for kind in (ACCEPTED, DUPLICATE, REJECTED)
        }
        return Response(
            {
                "accepted": counts[ACCEPTED],
                "duplicates": counts[DUPLICATE],
                "rejected": counts[REJECTED],
                "results": results,
            }
        )


class StockView(PosView):
    required_scope = Scope.STOCK_WRITE

    @documented(
        "stock_report",
        "Report the store's stock: levels counted, or changes",
        request=api.StockReportSerializer,
        responses={200: api.StockAnswerSerializer},
    )
    def post(self, request):
        report = self.validated(api.StockReportSerializer)
        changes = apply_report(self.store, report["items"], client_id=report.get("id"))
        answer = {"duplicate": changes is None, "changes": changes or []}
        return Response(api.StockAnswerSerializer(answer).data)


class PickupQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=OPEN, required=False)


class PickupListView(PosView):
    required_scope = Scope.PICKUPS

    @documented(
        "pickups_list",
        "The store's click and collect orders to prepare and ready for pickup",
        parameters=[OpenApiParameter("status", enum=list(OPEN), required=False)],
        responses={200: api.PickupSerializer(many=True)},
    )
    def get(self, request):
        wanted = self.validated(PickupQuerySerializer, request.query_params)
        statuses = [wanted["status"]] if "status" in wanted else list(OPEN)
        pickups = pickups_at(self.store).filter(status__in=statuses)
        return Response(api.PickupSerializer([pickup_summary(p) for p in pickups], many=True).data)


class PickupStepView(PosView):
    """One step of a click and collect order at the key's store."""

    required_scope = Scope.PICKUPS

    def take(self, number, step):
        pickup = find_pickup(self.store, number)
        if pickup is None:
            raise exceptions.NotFound(
                _("Store %(store)s has no click and collect order %(order)s.")
                % {"store": self.store.code, "order": number}
            )
        step(pickup)
        return Response(api.PickupSerializer(pickup_summary(find_pickup(self.store, number))).data)


class PickupReadyView(PickupStepView):
    @documented(
        "pickups_ready",
        "Mark an order ready for pickup",
        request=None,
        responses={200: api.PickupSerializer},
    )
    def post(self, request, number):
        return self.take(number, mark_ready)


class PickupCollectedView(PickupStepView):
    @documented(
        "pickups_collected",
        "Mark an order collected by the customer identified",
        request=api.CollectionSerializer,
        responses={200: api.PickupSerializer},
    )
    def post(self, request, number):
        identification = self.validated(api.CollectionSerializer)["customer"]
        try:
            collector = identify(identification["how"], identification["value"])
        except CustomerNotFound as nobody:  # refused input here: the order is what is sought
            raise exceptions.ValidationError(str(nobody)) from None

        def collect(pickup):
            check_collector(pickup, collector)
            mark_collected(pickup)

        return self.take(number, collect)


class PickupReturnedView(PickupStepView):
    @documented(
        "pickups_returned",
        "Mark a collected order returned: its items are back in stock",
        request=None,
        responses={200: api.PickupSerializer},
    )
    def post(self, request, number):
        return self.take(number, mark_returned)
