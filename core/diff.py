"""A readable difference between two texts, word by word, as HTML: what goes is in
``<del>``, what comes in ``<ins>`` (each said aloud by screen readers through a visually
hidden prefix)."""

import difflib
import re

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> SafeString:
    """``old`` → ``new`` with the removed words struck and the added ones marked."""
    before, after = TOKENS.findall(old or ""), TOKENS.findall(new or "")
    parts = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(conditional_escape("".join(before[a1:a2])))
            continue
        if op in ("delete", "replace"):
            parts.append(format_html(
                '<del><span class="visually-hidden">{} </span>{}</del>',
                _("supprimé :"), "".join(before[a1:a2]),
            ))  # fmt: skip
        if op in ("insert", "replace"):
            parts.append(format_html(
                '<ins><span class="visually-hidden">{} </span>{}</ins>',
                _("ajouté :"), "".join(after[b1:b2]),
            ))  # fmt: skip
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 — every part escaped
