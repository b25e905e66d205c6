"""Accounts on django-allauth, fitted to the portal: its emails go through the outbox,
a sign-in page says how many attempts are left and, once they are spent, the real wait;
staff reach nothing but the enrolment pages until they have a second factor; account
forms sent back with errors answer 4xx."""

import math
import time
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit as allauth_ratelimit
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.mail import absolute_url, emails_enqueue
from core.ratelimits import client_ip

ALLAUTH = "allauth.account"


def _failure_rate() -> allauth_ratelimit.Rate | None:
    """The per-account rate of failed sign-ins ("5/15m/key")."""
    for rate in allauth_ratelimit.get_rates(app=ALLAUTH, action="login_failed"):
        if rate.per == "key":
            return rate
    return None


def _failure_history(request: HttpRequest, key: str, rate) -> list[float]:
    cache_key = allauth_ratelimit.get_cache_key(
        request, app=ALLAUTH, action="login_failed", rate=rate, key=key
    )
    now = time.time()
    return [stamp for stamp in cache.get(cache_key, []) if stamp > now - rate.duration]


def minutes_label(seconds: float) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def _site_address(url: str) -> str:
    """Links in emails point at SITE_URL, whatever host the request came through."""
    parts = urlsplit(url)
    return absolute_url(urlunsplit(("", "", parts.path, parts.query, parts.fragment)))


class AccountAdapter(DefaultAccountAdapter):
    """The portal's choices where django-allauth leaves them to the project."""

    def get_client_ip(self, request: HttpRequest) -> str:
        # Behind PROXY_COUNT trusted proxies, as the portal's other rate limits.
        return client_ip(request) or "0.0.0.0"  # noqa: S104 (a key, not a bind address)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Through the outbox and the worker, as every email of the portal: a request
        never waits on the mail server. The text is allauth's (or the portal's override
        under templates/account/email/), in French."""
        site = SimpleNamespace(name="Interclusters", domain=urlsplit(settings.SITE_URL).netloc)
        context = {"email": email, "site_url": settings.SITE_URL, "current_site": site, **context}
        context.pop("request", None)
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string(f"{template_prefix}_subject.txt", context)
            subject = self.format_email_subject(" ".join(subject.split()))
            text = render_to_string(f"{template_prefix}_message.txt", context)
        user = context.get("user")
        emails_enqueue(
            template="account",
            context={"subject": subject, "text": text},
            to=[email],
            topic=f"{template_prefix}:{getattr(user, 'pk', '') or email}",
        )

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return _site_address(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key: str) -> str:
        return _site_address(super().get_reset_password_from_key_url(key))

    def format_email_subject(self, subject: str) -> str:
        prefix = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
        return subject if subject.startswith(prefix) else prefix + subject

    def save_user(self, request, user, form, commit=True):
        user.organisation_name = form.cleaned_data.get("organisation_name", "")
        return super().save_user(request, user, form, commit=commit)

    def is_safe_url(self, url: str) -> bool:
        return url_has_allowed_host_and_scheme(url, allowed_hosts=None)

    # --- failed sign-ins: attempts left, then the real wait ----------------------------

    def pre_authenticate(self, request: HttpRequest, **credentials) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            request.account_locked = True
            raise ValidationError(self._lockout_message(request, **credentials)) from None

    def _lockout_message(self, request: HttpRequest, **credentials) -> str:
        rate = _failure_rate()
        wait = settings.LOGIN_FAILURE_MINUTES * 60
        if rate:
            key = self._get_login_attempts_cache_key(request, **credentials)
            history = _failure_history(request, key, rate)
            if history:
                wait = min(history) + rate.duration - time.time()
        return _(
            "Trop de tentatives de connexion ont échoué pour ce compte. Par sécurité, la "
            "connexion est bloquée pendant encore %(wait)s. Vous avez oublié votre mot de "
            "passe ? Choisissez-en un nouveau : la connexion est alors débloquée."
        ) % {"wait": minutes_label(wait)}

    def authentication_failed(self, request: HttpRequest, **credentials) -> None:
        rate = _failure_rate()
        if not rate:
            return
        key = self._get_login_attempts_cache_key(request, **credentials)
        left = rate.amount - len(_failure_history(request, key, rate))
        request.login_attempts_left = max(left, 0)


def attempts_left_message(left: int) -> str:
    if left <= 0:
        return _(
            "C'était la dernière tentative : la connexion à ce compte est maintenant bloquée "
            "pendant %(wait)s, sauf si vous choisissez un nouveau mot de passe."
        ) % {"wait": minutes_label(settings.LOGIN_FAILURE_MINUTES * 60)}
    return ngettext(
        "Il vous reste %(count)d tentative avant que la connexion à ce compte soit bloquée "
        "pendant %(wait)s.",
        "Il vous reste %(count)d tentatives avant que la connexion à ce compte soit bloquée "
        "pendant %(wait)s.",
        left,
    ) % {"count": left, "wait": minutes_label(settings.LOGIN_FAILURE_MINUTES * 60)}


# The allauth rate limit behind each page, for the 429 page to name it.
PAGE_ACTIONS = {
    "account_login": "login",
    "account_signup": "signup",
    "account_reset_password": "reset_password",
    "account_reset_password_from_key": "reset_password_from_key",
    "account_email": "manage_email",
    "account_change_password": "change_password",
    "account_reauthenticate": "reauthenticate",
}


def reached_rate(request: HttpRequest) -> str:
    """The limit this request ran into ("10/3600s"), as far as the page tells, else ""."""
    match = request.resolver_match
    action = PAGE_ACTIONS.get(match.url_name if match else "")
    if not action:
        return ""
    rates = allauth_ratelimit.get_rates(app=ALLAUTH, action=action)
    for rate in rates:
        if rate.per == "key" or (rate.per == "user" and not request.user.is_authenticated):
            continue
        cache_key = allauth_ratelimit.get_cache_key(request, app=ALLAUTH, action=action, rate=rate)
        history = [t for t in cache.get(cache_key, []) if t > time.time() - rate.duration]
        if len(history) >= rate.amount:
            return f"{rate.amount}/{int(rate.duration)}s"
    return ""


# --- staff must have a second factor ---------------------------------------------------


def has_second_factor(user) -> bool:
    """True once the person has enrolled an authenticator app (TOTP)."""
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


# Pages a staff member without a second factor may still open: those that enrol it, and
# signing out, verifying the address or proving the password again on the way.
ENROLMENT_URL_NAMES = {
    "mfa_index",
    "mfa_activate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_add_webauthn",
    "mfa_list_webauthn",
    "mfa_reauthenticate",
    "account_logout",
    "account_reauthenticate",
    "account_confirm_email",
    "account_email",
    "account_email_verification_sent",
    "set_language",
}


SECOND_FACTOR_SESSION_KEY = "staff_second_factor"


def forget_second_factor(sender, request=None, **kwargs) -> None:
    """An authenticator was removed: the next staff page checks again."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(SECOND_FACTOR_SESSION_KEY, None)


class StaffSecondFactorMiddleware:
    """A staff session (the admin, the survey results, the exports of personal data)
    requires a second factor: until one is enrolled, every other page leads to the
    enrolment page."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated and user.is_staff):
            return None
        match = request.resolver_match
        if match and match.url_name in ENROLMENT_URL_NAMES:
            return None
        if request.path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
            return None
        # Known once per session (no query on each staff page); forgotten when the
        # person removes an authenticator.
        if request.session.get(SECOND_FACTOR_SESSION_KEY) == user.pk:
            return None
        if has_second_factor(user):
            request.session[SECOND_FACTOR_SESSION_KEY] = user.pk
            return None
        messages.warning(
            request,
            _(
                "Votre compte a des droits d'équipe : activez d'abord la double "
                "authentification avec une application d'authentification (par exemple "
                "FreeOTP, Aegis ou Google Authenticator)."
            ),
        )
        target = reverse("mfa_activate_totp")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)


class AccountFormStatusMiddleware:
    """An account form sent back with errors answers 422 (a locked sign-in 429), never a
    200, as every form of the portal; the sign-in page adds how many attempts are left."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method != "POST" or response.status_code != 200:
            return response
        match = request.resolver_match
        view = getattr(match.func, "view_class", match.func) if match else None
        if view is None or not (getattr(view, "__module__", "") or "").startswith("allauth."):
            return response
        response.status_code = 429 if getattr(request, "account_locked", False) else 422
        return response
