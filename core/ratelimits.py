"""Rate limits: the client's address behind reverse proxies, a decorator for the views
that accept forms, and what a person is told when they reach a limit."""

from functools import wraps

from django.conf import settings
from django.http import HttpRequest
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class RateLimited(Ratelimited):
    """A limit was reached; ``rate`` ("10/h") says which, for the 429 page."""

    def __init__(self, rate: str = "") -> None:
        super().__init__(rate)
        self.rate = rate


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


def user_or_ip(group: str, request: HttpRequest) -> str:
    """A django-ratelimit key: the signed-in person, else the client's address."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return client_ip(request)


def check_rate(request: HttpRequest, *, group: str, rate: str, key=by_client_ip) -> None:
    """Count this request against ``rate`` for ``group``; beyond, RateLimited (the 429
    page)."""
    if is_ratelimited(request, group=group, key=key, rate=rate, increment=True):
        raise RateLimited(rate)


def limit_posts(group: str, setting: str, *, key: str = "ip"):
    """A view decorator: at most ``settings.<setting>`` POSTs per client address (or per
    signed-in person, ``key="user_or_ip"``) for ``group``; beyond, the 429 page."""
    chosen = by_client_ip if key == "ip" else user_or_ip

    def decorator(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            if request.method == "POST":
                check_rate(request, group=group, rate=getattr(settings, setting), key=chosen)
            return view(request, *args, **kwargs)

        return limited

    return method_decorator(decorator, name="dispatch")


def describe(rate: str) -> dict[str, str]:
    """What a person is told of a limit: how many per period, and the longest wait."""
    try:
        count, period = rate.split("/")
        unit = period.strip()[-1]
        multiple = int(period[:-1] or 1)
        seconds = PERIODS[unit] * multiple
        count = int(count)
    except (ValueError, KeyError):
        return {}
    if seconds >= 86400:
        days = seconds // 86400
        wait = ngettext("un jour", "%(n)s jours", days) % {"n": days}
        per = ngettext("par jour", "tous les %(n)s jours", days) % {"n": days}
    elif seconds >= 3600:
        hours = seconds // 3600
        wait = ngettext("une heure", "%(n)s heures", hours) % {"n": hours}
        per = ngettext("par heure", "toutes les %(n)s heures", hours) % {"n": hours}
    elif seconds >= 60:
        minutes = seconds // 60
        wait = ngettext("une minute", "%(n)s minutes", minutes) % {"n": minutes}
        per = ngettext("par minute", "toutes les %(n)s minutes", minutes) % {"n": minutes}
    else:
        wait = ngettext("une seconde", "%(n)s secondes", seconds) % {"n": seconds}
        per = _("par seconde")
    return {
        "limit": ngettext("%(count)s envoi %(per)s", "%(count)s envois %(per)s", count)
        % {"count": count, "per": per},
        "wait": wait,
    }
