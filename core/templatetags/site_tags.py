"""Template tags shared by every page."""

from django import template
from django.urls import NoReverseMatch
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core.links import slug_url

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_item(context, url_name: str, label: str, exact: bool = False) -> SafeString:
    """A navigation link, marked as the current page; left out until its page exists.
    Written here rather than by a template: every page shows seven of them."""
    try:
        url = slug_url(url_name)
    except NoReverseMatch:
        return SafeString("")
    path = context["request"].path
    current = path == url if exact else path.startswith(url)
    return format_html(
        '<li class="nav-item"><a class="nav-link{}" href="{}"{}>{}</a></li>',
        " active" if current else "",
        url,
        SafeString(' aria-current="page"') if current else "",
        label,
    )


@register.filter
def markdown_text(text: str) -> str:
    """Markdown as plain words, for excerpts (the formatting marks removed)."""
    from django.utils.html import strip_tags

    from core.text import render_markdown

    return strip_tags(str(render_markdown(text)))
