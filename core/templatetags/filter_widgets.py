"""Fast rendering of the filter forms' choice fields.

Django renders each option of a widget through a template; the directory's filters hold
some 150 options on every list page, which made rendering them the bulk of the page's
time. These tags write the same markup (labels, ids, checked and selected states) from
Python.
"""

from django import template
from django.forms import BoundField
from django.utils.html import format_html, format_html_join

register = template.Library()


def _selected(field: BoundField) -> set[str]:
    value = field.value()
    if value is None:
        return set()
    if isinstance(value, list | tuple):
        return {str(v) for v in value}
    return {str(value)}


def _flat_choices(field: BoundField):
    for key, label in field.field.choices:
        if isinstance(label, list | tuple):
            yield from label
        else:
            yield key, label


@register.simple_tag
def select_widget(field: BoundField):
    """A <select> with its options and groups, as the field's widget would render it."""
    selected = _selected(field)
    attrs = field.field.widget.attrs

    def option(key, label):
        key = "" if key is None else str(getattr(key, "value", key))
        return format_html(
            '<option value="{}"{}>{}</option>', key, " selected" if key in selected else "", label
        )

    parts = []
    for key, label in field.field.choices:
        if isinstance(label, list | tuple):
            parts.append(
                format_html(
                    '<optgroup label="{}">{}</optgroup>',
                    key,
                    format_html_join("", "{}", ((option(k, v),) for k, v in label)),
                )
            )
        else:
            parts.append(option(key, label))
    return format_html(
        '<select name="{}" id="{}" class="{}"{}>{}</select>',
        field.html_name,
        field.auto_id,
        attrs.get("class", "form-select"),
        format_html(' aria-invalid="true" aria-describedby="{}_error"', field.auto_id)
        if field.errors
        else "",
        format_html_join("", "{}", ((p,) for p in parts)),
    )


@register.simple_tag
def checkbox_list(field: BoundField):
    """The checkboxes of a multiple choice, each with its label."""
    selected = _selected(field)
    rows = []
    for index, (key, label) in enumerate(_flat_choices(field)):
        key = str(getattr(key, "value", key))
        option_id = f"{field.auto_id}_{index}"
        rows.append(
            format_html(
                '<div class="form-check"><input type="checkbox" name="{}" value="{}" '
                'class="form-check-input" id="{}"{}><label class="form-check-label" for="{}">'
                "{}</label></div>",
                field.html_name,
                key,
                option_id,
                " checked" if key in selected else "",
                option_id,
                label,
            )
        )
    return format_html_join("", "{}", ((row,) for row in rows))
