"""Cached copies of public pages for anonymous visitors.

Views opt in with `@public_page`. A copy is keyed by the content version (one row in
PostgreSQL, bumped after every committed change to the directory, surveys, mementos or
events, and after every successful form post but those of views marked
`@keeps_content`) and by everything of the request that changes the page: the full path,
the language and htmx's headers. A change made through any instance retires every copy
at once; a response that varies on anything else is not kept. Copies
also expire after PUBLIC_PAGE_CACHE_SECONDS (0 turns the cache off), for what changes
with the clock alone (an event that starts, a survey that closes).

Visitors with a session or pending messages always get a fresh page. A copy keeps no
CSRF token or CSP nonce: the visitor's own are put back when the copy is served.
"""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers

CONTENT_APPS = {"clusters", "surveys", "mementos", "events"}
TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
PLACEHOLDER = b"\x00csrf\x00"
NONCE = re.compile(rb'( nonce=")[^"]*(")')
NONCE_PLACEHOLDER = b"\x00nonce\x00"
KEPT_HEADERS = ("Content-Language", "Vary")
# The request headers that change what a public page returns; they are part of the key.
KEY_HEADERS = ("HX-Request", "HX-Target", "HX-Boosted", "HX-History-Restore-Request")
# A response that varies on anything else is not kept. The cookie and the language are
# covered: copies are only for visitors without a session, and keyed by language.
KNOWN_VARY = {"cookie", "accept-language", *(header.lower() for header in KEY_HEADERS)}


def public_page(view):
    """Mark a view (function or class) whose anonymous pages may be served from cache."""
    view.public_page = True
    return view


def keeps_content(view):
    """Mark a view whose form posts never change what public pages show (signing in or
    out, passwords), so that they leave the cached copies alone."""
    view.keeps_content = True
    return view


def _bump() -> None:
    from core.models import ContentVersion

    updated = ContentVersion.objects.filter(pk=1).update(counter=F("counter") + 1)
    if not updated:
        ContentVersion.objects.get_or_create(pk=1, defaults={"counter": 1})


def content_changed(**_kwargs) -> None:
    """Retire every cached page once the current transaction commits (once per
    transaction, however many rows it writes)."""
    if connection.in_atomic_block and any(entry[1] is _bump for entry in connection.run_on_commit):
        return
    transaction.on_commit(_bump)


def _is_content(model) -> bool:
    # Migrations' historical models (module "__fake__") write before the tables the
    # current models use exist: they retire nothing.
    return model._meta.app_label in CONTENT_APPS and model.__module__ != "__fake__"


def _on_change(sender, **kwargs) -> None:
    if _is_content(sender):
        content_changed()


def _on_m2m(sender, instance, **kwargs) -> None:
    if kwargs.get("action", "").startswith("post_") and _is_content(type(instance)):
        content_changed()


def connect_signals() -> None:
    post_save.connect(_on_change, dispatch_uid="pagecache-save")
    post_delete.connect(_on_change, dispatch_uid="pagecache-delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="pagecache-m2m")


def current_version() -> int:
    from core.models import ContentVersion

    return ContentVersion.objects.filter(pk=1).values_list("counter", flat=True).first() or 0


def _varies_only_on_the_key(response: HttpResponse) -> bool:
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
    return vary <= KNOWN_VARY


def _marked(view_func, mark: str) -> bool:
    return getattr(view_func, mark, False) or getattr(
        getattr(view_func, "view_class", None), mark, False
    )


class PublicPageCacheMiddleware:
    """Serves and keeps the cached copies; place it after the CSRF, locale and message
    middlewares."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
            if response.status_code < 400 and not getattr(request, "_keeps_content", False):
                content_changed()
            return response
        key = getattr(request, "_public_page_key", None)
        if key:
            # Caches between the portal and the visitor must tell these apart too.
            patch_vary_headers(response, KEY_HEADERS)
            if (
                response.status_code == 200
                and not response.streaming
                and not response.cookies
                and _varies_only_on_the_key(response)
            ):
                self._keep(key, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Switching language changes nothing either.
        request._keeps_content = _marked(view_func, "keeps_content") or (
            view_func.__module__ == "django.views.i18n"
        )
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        if (
            not seconds
            or request.method not in ("GET", "HEAD")
            or not _marked(view_func, "public_page")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or CookieStorage.cookie_name in request.COOKIES
        ):
            return None
        key = self._key(request)
        copy = cache.get(key)
        if copy is not None:
            return self._serve(request, copy)
        request._public_page_key = key
        return None

    @staticmethod
    def _key(request: HttpRequest) -> str:
        # Everything of the request that may change the page: the address, the language
        # and htmx's headers (a fragment for HX-Request is not the page).
        varying = [request.get_full_path(), request.LANGUAGE_CODE]
        varying += [request.headers.get(header, "") for header in KEY_HEADERS]
        digest = hashlib.sha256("\n".join(varying).encode()).hexdigest()
        return f"page:{current_version()}:{digest}"

    @staticmethod
    def _keep(key: str, response: HttpResponse) -> None:
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        copy = {
            "content": NONCE.sub(
                rb"\1" + NONCE_PLACEHOLDER + rb"\2",
                TOKEN.sub(rb"\1" + PLACEHOLDER + rb"\2", response.content),
            ),
            "content_type": response["Content-Type"],
            "headers": {h: response[h] for h in KEPT_HEADERS if h in response},
        }
        cache.set(key, copy, settings.PUBLIC_PAGE_CACHE_SECONDS)

    @staticmethod
    def _serve(request: HttpRequest, copy: dict) -> HttpResponse:
        content = copy["content"]
        if PLACEHOLDER in content:
            content = content.replace(PLACEHOLDER, get_token(request).encode())
        nonce = get_nonce(request)
        if nonce is not None and NONCE_PLACEHOLDER in content:
            content = content.replace(NONCE_PLACEHOLDER, str(nonce).encode())
        response = HttpResponse(content, content_type=copy["content_type"])
        for header, value in copy["headers"].items():
            response[header] = value
        response["X-Page-Cache"] = "hit"
        return response
