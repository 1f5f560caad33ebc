"""Every error answer is ``{"detail": "<one sentence>"}``; input refused field by field adds
``errors``, DRF's messages per field, and ``detail`` names the first of them.

The modules that do the work refuse with exceptions of their own, whose message is the
sentence to answer; ``REFUSALS`` gives the status each is answered with.
"""

from rest_framework import exceptions, status
from rest_framework.exceptions import ValidationError
from rest_framework.views import exception_handler

from omni_plugin.stores.pickup_lifecycle import PickupError

from .customers import CustomerNotFound, IdentificationRefused
from .enrolment import AlreadyEnrolled
from .pickups import WrongCollector
from .stock import StockRefused


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


REFUSALS = (
    ((IdentificationRefused, StockRefused, WrongCollector), ValidationError),
    ((CustomerNotFound,), exceptions.NotFound),
    ((AlreadyEnrolled, PickupError), Conflict),
)


def pos_exception_handler(exc, context):
    for refusals, answer in REFUSALS:
        if isinstance(exc, refusals):
            exc = answer(str(exc))
            break
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, ValidationError):
        errors = response.data
        response.data = {"detail": first_message(errors)}
        if isinstance(errors, dict):
            response.data["errors"] = errors
    return response


def first_message(errors, where=""):
    """The first message of DRF's nested errors, prefixed with where it is: ``lines[0].quantity``.

    Lists of objects report their errors by position, as a list or a dict of indexes.
    """
    if isinstance(errors, dict):
        field, inner = next(iter(errors.items()))
        return first_message(inner, _within(where, field))
    if isinstance(errors, list):
        for index, inner in enumerate(errors):
            if inner:
                nested = isinstance(inner, (dict, list))
                return first_message(inner, _within(where, index) if nested else where)
    return f"{where}: {errors}" if where else str(errors)


def _within(where, field):
    if isinstance(field, int):
        return f"{where}[{field}]"
    if field == "non_field_errors":
        return where
    return f"{where}.{field}" if where else field
