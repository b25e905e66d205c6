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


def limit_posts(group: str, setting: str, *, key: str = "ip"):
    """A view decorator: at most ``settings.<setting>`` POSTs per client address (or per
    signed-in person, ``key="user_or_ip"``) for ``group``; beyond, the 429 page."""
    from django.utils.decorators import method_decorator
    from django_ratelimit.decorators import ratelimit

    def rate(_group, _request):
        return getattr(settings, setting)

    chosen = by_client_ip if key == "ip" else _user_or_ip
    return method_decorator(
        ratelimit(group=group, key=chosen, rate=rate, method="POST", block=True),
        name="dispatch",
    )


def _user_or_ip(group: str, request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return client_ip(request)
