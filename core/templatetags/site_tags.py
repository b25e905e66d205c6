"""Template tags shared by every page."""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.inclusion_tag("partials/nav_item.html", takes_context=True)
def nav_item(context, url_name: str, label: str, exact: bool = False) -> dict:
    """A navigation link, marked as the current page; left out until its page exists."""
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        return {"url": None}
    path = context["request"].path
    current = path == url if exact else path.startswith(url)
    return {"url": url, "label": label, "current": current}


@register.filter
def markdown_text(text: str) -> str:
    """Markdown as plain words, for excerpts (the formatting marks removed)."""
    from django.utils.html import strip_tags

    from core.text import render_markdown

    return strip_tags(str(render_markdown(text)))
