"""Server-drawn SVG charts (no script, no inline style: presentation attributes only),
always followed by the same figures in a table that opens on demand."""

from django import template

register = template.Library()

ROW = 28
BAR = 18
WIDTH = 600
LABEL = 260


@register.inclusion_tag("surveys/partials/bars.html")
def bar_chart(rows, title: str) -> dict:
    """Horizontal bars for (label, count, percent) rows."""
    rows = list(rows)
    span = WIDTH - LABEL - 90
    bars = [
        {
            "label": label if len(str(label)) <= 38 else f"{str(label)[:36]}…",
            "count": count,
            "percent": percent,
            "y": index * ROW,
            "text_y": index * ROW + BAR - 4,
            "width": round(span * percent / 100, 1),
            "value_x": LABEL + round(span * percent / 100, 1) + 6,
        }
        for index, (label, count, percent) in enumerate(rows)
    ]
    return {
        "rows": rows,
        "bars": bars,
        "title": title,
        "height": max(len(rows) * ROW, ROW),
        "width": WIDTH,
        "label_width": LABEL,
        "bar_height": BAR,
    }
