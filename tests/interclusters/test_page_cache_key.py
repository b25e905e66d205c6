"""The page cache never serves a wrong page: every public page, asked first with each
header that changes the answer (htmx's, the language), then without, is served the page
that a fresh render gives."""

import re

import pytest
from django.test import Client
from django.urls import resolve

from core.pagecache import KEY_HEADERS, _marked

pytestmark = pytest.mark.django_db
VOLATILE = re.compile(rb'(name="csrfmiddlewaretoken" value="|nonce=")[^"]*')
# htmx's request (its other headers are in the key the same way) and the language.
VARIANTS = [{"HX-Request": "true"}, {"Accept-Language": "en"}]


def public_urls(url_table) -> list[str]:
    """The addresses of the @public_page views that an anonymous visitor may open: one
    plain address per view and one with a query string (the key is built the same way
    for every address of a view)."""
    urls, seen = [], set()
    for cases in url_table.values():
        for url, expected in cases:
            view = resolve(url.split("?")[0]).func
            kind = (view, "?" in url)
            public = expected.get("anonymous") == 200 and _marked(view, "public_page")
            if public and kind not in seen:
                seen.add(kind)
                urls.append(url)
    return urls


def fresh(url: str, headers: dict, settings) -> bytes:
    seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    try:
        return VOLATILE.sub(rb"\1", Client().get(url, headers=headers).content)
    finally:
        settings.PUBLIC_PAGE_CACHE_SECONDS = seconds


def test_the_key_holds_every_header_that_changes_a_page(client, directory, settings):
    assert set(KEY_HEADERS) >= {"HX-Request", "HX-Target", "HX-Boosted"}
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    targeted = Client().get("/annuaire/", headers={"HX-Request": "true", "HX-Target": "x"})
    assert b"<html" not in targeted.content
    assert b"<html" in Client().get("/annuaire/").content


def test_no_header_makes_the_cache_serve_another_page(url_table, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    urls = public_urls(url_table)
    assert len(urls) > 15, urls
    wrong = []
    for url in urls:
        expected = fresh(url, {}, settings)
        for headers in VARIANTS:
            first = Client().get(url, headers=headers)  # may become the cached copy
            plain = Client().get(url)
            again = Client().get(url, headers=headers)
            if VOLATILE.sub(rb"\1", plain.content) != expected:
                wrong.append(f"{url} without headers, after {headers}")
            if VOLATILE.sub(rb"\1", again.content) != fresh(url, headers, settings):
                wrong.append(f"{url} with {headers}, after a plain visit")
            assert first.status_code < 500
    assert not wrong, "\n".join(wrong)


def test_an_htmx_fragment_is_never_the_page(client, directory, settings):
    """The reported case: one anonymous request must not break the directory for all."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    fragment = Client().get("/annuaire/", headers={"HX-Request": "true"})
    assert b"<html" not in fragment.content
    page = Client().get("/annuaire/")
    assert b"<html" in page.content
    assert "HX-Request" in page["Vary"]
    assert Client().get("/annuaire/")["X-Page-Cache"] == "hit"
