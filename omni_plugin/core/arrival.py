"""Where a visit came from: the UTM parameters of the link and the referring site."""

from urllib.parse import urlsplit

UTM_PARAMETERS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
MAX_LENGTH = 100


def arrival_source(request):
    """The UTM parameters and the other site's host a request arrived with; {} if neither.

    Navigation inside the shop (a referrer on the shop's own host) is not an arrival.
    """
    source = {
        name: request.GET[name][:MAX_LENGTH] for name in UTM_PARAMETERS if request.GET.get(name)
    }
    referrer_host = urlsplit(request.headers.get("Referer", "")).hostname or ""
    if referrer_host and referrer_host != request.get_host().split(":")[0]:
        source["referrer_host"] = referrer_host[:MAX_LENGTH]
    return source
