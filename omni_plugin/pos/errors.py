"""Every error answer is ``{"detail": "<one sentence>"}``; a refused input adds ``errors``,
DRF's messages per field, and ``detail`` names the first of them."""

from rest_framework.exceptions import ValidationError
from rest_framework.views import exception_handler


def pos_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, ValidationError):
        response.data = {"detail": first_message(response.data), "errors": response.data}
    return response


def first_message(errors, where=""):
    """The first message of DRF's nested errors, prefixed with where it is: ``lines[0].quantity``."""
    if isinstance(errors, dict):
        field, inner = next(iter(errors.items()))
        name = "" if field == "non_field_errors" else field
        return first_message(inner, f"{where}.{name}" if where and name else where or name)
    if isinstance(errors, list):
        for index, inner in enumerate(errors):
            if inner:
                nested = isinstance(inner, (dict, list))
                return first_message(inner, f"{where}[{index}]" if nested else where)
    return f"{where}: {errors}" if where else str(errors)
