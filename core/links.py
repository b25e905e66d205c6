"""Addresses of objects by slug, without running the URL resolver for each one.

``reverse()`` walks the URL patterns at every call (some 100 µs): a list of twenty cards,
each with a link, paid for it twenty times, and every page for its seven navigation
links. ``slug_url`` reverses once per view name, language and script prefix with
placeholder slugs (or none, for a view without arguments), then fills in the real ones."""

from urllib.parse import quote

from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language

_PATTERNS: dict[tuple, str] = {}


def slug_url(viewname: str, **slugs: str) -> str:
    """``reverse(viewname, kwargs=slugs)`` for slug arguments, from a kept pattern."""
    key = (viewname, get_language(), get_script_prefix(), tuple(sorted(slugs)))
    pattern = _PATTERNS.get(key)
    if pattern is None:
        placeholders = {name: f"slugplaceholder{index}x" for index, name in enumerate(slugs)}
        pattern = reverse(viewname, kwargs=placeholders)
        for name, placeholder in placeholders.items():
            pattern = pattern.replace(placeholder, "{" + name + "}")
        _PATTERNS[key] = pattern
    return pattern.format(**{name: quote(str(value), safe="") for name, value in slugs.items()})
