"""The client's address for rate limits, also behind reverse proxies."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind PROXY_COUNT trusted proxies the address the first of them
    saw (the PROXY_COUNT-th from the right of X-Forwarded-For), which a client cannot
    forge by sending its own header."""
    proxies = settings.PROXY_COUNT
    if proxies:
        header = request.META.get("HTTP_X_FORWARDED_FOR", "")
        forwarded = [part.strip() for part in header.split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def by_client_ip(group: str, request: HttpRequest) -> str:
    """A django-ratelimit key: the client's address."""
    return client_ip(request)
