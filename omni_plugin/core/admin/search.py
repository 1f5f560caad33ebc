"""Finding a profile by what staff know of the customer: an email, a phone number, a
loyalty card, a POS customer id, or the profile's own id."""

import re

from django.db.models import Q

from omni_plugin.core.models import Identifier

from ..identifiers import InvalidIdentifier, normalise

Kind = Identifier.Kind

SEARCHABLE_KINDS = (Kind.EMAIL, Kind.PHONE, Kind.LOYALTY, Kind.POS)
# At most 18 digits: a larger number overflows a 64-bit primary key on PostgreSQL.
PROFILE_ID = re.compile(r"^#?\s*(\d{1,18})$")


def identifier_candidates(query):
    """The (kind, value) pairs the query may be, normalised the way identifiers are stored."""
    candidates = []
    for kind in SEARCHABLE_KINDS:
        try:
            candidates.append((kind, normalise(kind, query)))
        except InvalidIdentifier:
            continue
    return candidates


def search_profiles(queryset, query):
    """The profiles of ``queryset`` holding an identifier the query stands for, or with
    its id; none when the query can be neither."""
    query = query.strip()
    matches = Q()
    identifiers = Q()
    for kind, value in identifier_candidates(query):
        identifiers |= Q(kind=kind, value=value)
    if identifiers:
        matches |= Q(pk__in=Identifier.objects.filter(identifiers).values("profile_id"))
    if profile_id := PROFILE_ID.match(query):
        matches |= Q(pk=int(profile_id.group(1)))
    return queryset.filter(matches) if matches else queryset.none()
