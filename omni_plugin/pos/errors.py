"""Every error answer is ``{"detail": "<one sentence>"}``; input refused field by field adds
``errors``, DRF's messages per field, and ``detail`` names the first of them."""

from rest_framework.exceptions import ValidationError
from rest_framework.views import exception_handler


def pos_exception_handler(exc, context):
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
