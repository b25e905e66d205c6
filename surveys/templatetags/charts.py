"""Server-drawn SVG charts (no script, no inline style: presentation attributes only),
always followed by the same figures in a table that opens on demand.

Written from Python: the published results of a survey draw some forty charts, and
through a template each bar cost three lookups and two localised numbers, most of the
page's time."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

register = template.Library()

ROW = 28
BAR = 18
WIDTH = 600
LABEL = 260


def _short(label) -> str:
    text = str(label)
    return text if len(text) <= 38 else f"{text[:36]}…"


@register.simple_tag
def bar_chart(rows, title: str):
    """Horizontal bars for (label, count, percent) rows, then the same figures as a table."""
    rows = list(rows)
    if not rows:
        return ""
    span = WIDTH - LABEL - 90
    bars = []
    for index, (label, count, percent) in enumerate(rows):
        width = round(span * percent / 100, 1)
        text_y = index * ROW + BAR - 4
        bars.append((
            LABEL - 8, text_y, _short(label),
            LABEL, index * ROW, str(width), BAR,
            str(LABEL + width + 6), text_y, localize(count), floatformat(percent, 0),
        ))  # fmt: skip
    svg = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" font-size="13" fill="#1c2730">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" rx="2" fill="#17594a"></rect>'
        '<text x="{}" y="{}" font-size="13" fill="#1c2730">{} · {} %</text>',
        bars,
    )
    table = format_html_join(
        "",
        '<tr><th scope="row" class="fw-normal">{}</th><td class="text-end">{}</td>'
        '<td class="text-end">{}</td></tr>',
        ((label, localize(count), floatformat(percent, 1)) for label, count, percent in rows),
    )
    return format_html(
        '<figure class="bars mb-2" aria-hidden="true"><svg viewBox="0 0 {} {}" width="100%" '
        'class="bar-chart" focusable="false">{}</svg></figure>'
        '<details class="chart-figures"><summary>{}</summary>'
        '<table class="table table-sm mt-2"><caption class="visually-hidden">{}</caption>'
        '<thead><tr><th scope="col">{}</th><th scope="col" class="text-end">{}</th>'
        '<th scope="col" class="text-end">%</th></tr></thead><tbody>{}</tbody></table>'
        "</details>",
        WIDTH, max(len(rows) * ROW, ROW), svg,
        gettext("Les chiffres en tableau"), title, gettext("Réponse"), gettext("Nombre"), table,
    )  # fmt: skip
