"""Cached copies of public pages for anonymous visitors.

Views opt in with ``@public_page(kinds)``, naming the kinds of content the page shows
("directory", "events", "surveys", "mementos", "accounts"; all of them by default). A
copy is keyed by the versions of those kinds (rows in PostgreSQL) and by everything of
the request that changes the page: the full path, the language and htmx's headers.

A kind's version is bumped after every committed change to a model of its apps, and
after every successful form post to a view of its apps (the admin's by the model's app;
other posts bump every kind, and views marked ``@keeps_content`` none). So a change made
through any instance retires the pages that show it, and only those: a survey draft
saved leaves the directory's copies in place. A response that varies on anything else
than the key is not kept. Each process also keeps the versions for a second and the
copies it used in its own memory, so that a hit runs no query. Copies also expire after
PUBLIC_PAGE_CACHE_SECONDS (0 turns the cache off), for what changes with the clock alone
(an event that starts, a survey that closes).

Visitors with a session or pending messages always get a fresh page. A copy keeps no
CSRF token or CSP nonce: the visitor's own are put back when the copy is served.
"""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache, caches
from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers

# Each app's kind of content. A model change in "interclusters" (accounts: a sign-in
# writes last_login) retires nothing; the form posts of its views do (a sign-up changes
# the home page's figures), except those marked @keeps_content.
KINDS = ("directory", "events", "surveys", "mementos", "accounts")
# Each process keeps the versions a second (CONTENT_VERSIONS_SECONDS), and the copies it
# served or made: a hit then costs no query at all. A change committed elsewhere shows
# here within that second; one committed here, at once.
LOCAL = caches["local"]
VERSIONS_KEY = "pagecache:versions"
KIND_OF_APP = {
    "clusters": ("directory",),
    # Theme and place names show on every kind of page.
    "reference": KINDS,
    "events": ("events",),
    "surveys": ("surveys",),
    "mementos": ("mementos",),
    "interclusters": ("accounts",),
}
SIGNAL_APPS = {"clusters", "reference", "events", "surveys", "mementos"}
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


def public_page(view=None, *, kinds: tuple[str, ...] = KINDS):
    """Mark a view (function or class) whose anonymous pages may be served from cache,
    with the kinds of content they show: ``@public_page(kinds=("directory",))``, or
    ``@public_page`` for every kind."""

    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"Unknown kinds of content: {sorted(unknown)}")

    def mark(view):
        view.public_page = tuple(sorted(kinds))
        return view

    return mark(view) if view is not None else mark


def keeps_content(view):
    """Mark a view whose form posts never change what public pages show (signing in or
    out, passwords), so that they leave the cached copies alone."""
    view.keeps_content = True
    return view


class _Bump:
    """The on-commit callback of a transaction: bumps, once, every kind it changed."""

    def __init__(self) -> None:
        self.kinds: set[str] = set()

    def __call__(self) -> None:
        from core.models import ContentVersion

        kinds = sorted(self.kinds)
        updated = ContentVersion.objects.filter(kind__in=kinds).update(counter=F("counter") + 1)
        if updated < len(kinds):
            for kind in kinds:
                ContentVersion.objects.get_or_create(kind=kind, defaults={"counter": 1})
        LOCAL.delete(VERSIONS_KEY)


def content_changed(kinds: tuple[str, ...] | list[str] = KINDS) -> None:
    """Retire the cached pages that show these kinds of content once the current
    transaction commits (once per transaction, however many rows it writes)."""
    if connection.in_atomic_block:
        for _sids, func, *_rest in connection.run_on_commit:
            if isinstance(func, _Bump):
                func.kinds.update(kinds)
                return
    bump = _Bump()
    bump.kinds.update(kinds)
    transaction.on_commit(bump)


def _kinds_of_model(model) -> tuple[str, ...]:
    # Migrations' historical models (module "__fake__") write before the tables the
    # current models use exist: they retire nothing.
    label = model._meta.app_label
    if label not in SIGNAL_APPS or model.__module__ == "__fake__":
        return ()
    return KIND_OF_APP[label]


def _on_change(sender, **kwargs) -> None:
    if kinds := _kinds_of_model(sender):
        content_changed(kinds)


def _on_m2m(sender, instance, **kwargs) -> None:
    if kwargs.get("action", "").startswith("post_") and (kinds := _kinds_of_model(type(instance))):
        content_changed(kinds)


def connect_signals() -> None:
    post_save.connect(_on_change, dispatch_uid="pagecache-save")
    post_delete.connect(_on_change, dispatch_uid="pagecache-delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="pagecache-m2m")


def current_versions(kinds: tuple[str, ...]) -> list[tuple[str, int]]:
    """The versions of these kinds of content: read from the database (one query) at
    most once every CONTENT_VERSIONS_SECONDS per process, and at once after a change this
    process committed."""
    from core.models import ContentVersion

    versions = LOCAL.get(VERSIONS_KEY)
    if versions is None:
        versions = dict(ContentVersion.objects.values_list("kind", "counter"))
        LOCAL.set(VERSIONS_KEY, versions, settings.CONTENT_VERSIONS_SECONDS)
    return [(kind, versions[kind]) for kind in sorted(kinds) if kind in versions]


def versions_tag(kinds: tuple[str, ...]) -> str:
    """The versions of these kinds as a short text, for keys of what depends on them
    (page copies, figures kept under them): "d12.e4"."""
    return ".".join(f"{kind[0]}{counter}" for kind, counter in current_versions(kinds))


def _kinds_of_post(request: HttpRequest, view_func) -> tuple[str, ...]:
    """The kinds a form post to this view may change: those of the view's app, or in
    the admin those of the model's app; every kind when that is not known."""
    match = request.resolver_match
    if match is not None and match.app_name == "admin":
        parts = match.route.split("/")
        app_label = parts[1] if len(parts) > 2 and parts[0] == "admin" else ""
        return KIND_OF_APP.get(app_label, KINDS)
    module = getattr(view_func, "__module__", "") or ""
    view_class = getattr(view_func, "view_class", None)
    if view_class is not None:
        module = view_class.__module__
    return KIND_OF_APP.get(module.split(".")[0], KINDS)


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
            kinds = getattr(request, "_post_kinds", KINDS)
            if response.status_code < 400 and kinds:
                content_changed(kinds)
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
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
            # Switching language, signing in, enrolling a second factor… (Django's
            # language view and django-allauth's, but for sign-up: the home page counts
            # the members) change nothing either.
            module = getattr(view_func, "__module__", "") or ""
            match = request.resolver_match
            keeps = _marked(view_func, "keeps_content") or (
                module == "django.views.i18n"
                or (
                    module.startswith("allauth.")
                    and not (match and match.url_name == "account_signup")
                )
            )
            request._post_kinds = () if keeps else _kinds_of_post(request, view_func)
            return None
        kinds = _marked(view_func, "public_page")
        if (
            not settings.PUBLIC_PAGE_CACHE_SECONDS
            or request.method not in ("GET", "HEAD")
            or not kinds
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or CookieStorage.cookie_name in request.COOKIES
        ):
            return None
        key = self._key(request, kinds)
        copy = LOCAL.get(key)
        if copy is None:
            copy = cache.get(key)
            if copy is not None:
                LOCAL.set(key, copy, settings.PUBLIC_PAGE_CACHE_SECONDS)
        if copy is not None:
            return self._serve(request, copy)
        request._public_page_key = key
        return None

    @staticmethod
    def _key(request: HttpRequest, kinds: tuple[str, ...]) -> str:
        # Everything of the request that may change the page: the address, the language
        # and htmx's headers (a fragment for HX-Request is not the page).
        varying = [request.get_full_path(), request.LANGUAGE_CODE]
        varying += [request.headers.get(header, "") for header in KEY_HEADERS]
        digest = hashlib.sha256("\n".join(varying).encode()).hexdigest()
        return f"page:{versions_tag(kinds)}:{digest}"

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
        LOCAL.set(key, copy, settings.PUBLIC_PAGE_CACHE_SECONDS)

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
