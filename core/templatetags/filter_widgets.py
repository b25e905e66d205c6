"""Fast rendering of the filter forms' fields.

Django renders each option of a widget through a template; the directory's filters hold
some 150 options on every list page, which made rendering them the bulk of the page's
time. These tags write the same markup (labels, ids, checked and selected states) from
Python; ``input_widget`` does the same for the plain inputs (text, number, checkbox,
hidden), which Django renders through two templates each; ``filter_field`` writes a whole
field (its label or legend, the widget, help text and errors) where an included template
cost a third of a millisecond per field, a dozen times per list page.
"""

from functools import lru_cache

from django import template
from django.forms import BoundField, CheckboxInput
from django.forms.widgets import Input
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

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


@lru_cache(maxsize=8192)
def _option(key: str, label: str, selected: bool) -> str:
    # The same options come back on every page (a hundred departments): each is escaped
    # and formatted once per process.
    return format_html(
        '<option value="{}"{}>{}</option>', key, " selected" if selected else "", label
    )


@lru_cache(maxsize=8192)
def _checkbox(name: str, key: str, option_id: str, label: str, checked: bool) -> str:
    return format_html(
        '<div class="form-check"><input type="checkbox" name="{}" value="{}" '
        'class="form-check-input" id="{}"{}><label class="form-check-label" for="{}">'
        "{}</label></div>",
        name,
        key,
        option_id,
        " checked" if checked else "",
        option_id,
        label,
    )


@register.simple_tag
def select_widget(field: BoundField):
    """A <select> (or a multiple one) with its options and groups, as the field's widget
    would render it."""
    selected = _selected(field)
    attrs = field.field.widget.attrs

    def option(key, label):
        key = "" if key is None else str(getattr(key, "value", key))
        return _option(key, str(label), key in selected)

    parts = []
    for key, label in field.field.choices:
        if isinstance(label, list | tuple):
            parts.append(
                format_html(
                    '<optgroup label="{}">{}</optgroup>',
                    key,
                    mark_safe("".join(option(k, v) for k, v in label)),  # noqa: S308 (escaped)
                )
            )
        else:
            parts.append(option(key, label))
    return format_html(
        '<select name="{}" id="{}" class="{}"{}{}>{}</select>',
        field.html_name,
        field.auto_id,
        attrs.get("class", "form-select"),
        mark_safe(" multiple") if field.field.widget.allow_multiple_selected else "",
        format_html(' aria-invalid="true" aria-describedby="{}_error"', field.auto_id)
        if field.errors
        else "",
        mark_safe("".join(parts)),  # noqa: S308 (each part escaped by format_html)
    )


@register.simple_tag
def checkbox_list(field: BoundField):
    """The checkboxes of a multiple choice, each with its label."""
    selected = _selected(field)
    rows = []
    for index, (key, label) in enumerate(_flat_choices(field)):
        key = str(getattr(key, "value", key))
        option_id = f"{field.auto_id}_{index}"
        rows.append(_checkbox(field.html_name, key, option_id, str(label), key in selected))
    return mark_safe("".join(rows))  # noqa: S308 (each row escaped by format_html)


# Django's templates of plain inputs: each includes input.html alone.
PLAIN_INPUTS = {
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "number", "search", "email", "url", "hidden", "checkbox", "date")
}


@register.simple_tag
def input_widget(field: BoundField):
    """A plain input (``<input>`` of any type, a checkbox included) with the attributes
    Django gives it (id, required, aria-invalid, aria-describedby, the widget's own),
    written as its ``input.html`` and ``attrs.html`` templates would; any other widget
    is rendered by Django."""
    widget = field.field.widget
    if not isinstance(widget, Input | CheckboxInput) or widget.template_name not in PLAIN_INPUTS:
        return str(field)
    if field.field.localize:
        widget.is_localized = True
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    parts = [format_html('<input type="{}" name="{}"', context["type"], context["name"])]
    if context["value"] is not None:
        parts.append(format_html(' value="{}"', str(context["value"])))
    for name, value in context["attrs"].items():
        if value is False:
            continue
        parts.append(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value))
        )
    parts.append(">")
    return mark_safe("".join(parts))  # noqa: S308 (each part escaped by format_html)


@register.simple_tag(name="field_errors")
def _errors(field: BoundField) -> SafeString:
    """A field's errors under the id its widget names in ``aria-describedby``."""
    if not field.errors:
        return SafeString("")
    return format_html(
        '<div id="{}_error">{}</div>',
        field.auto_id,
        format_html_join(
            "", '<p class="invalid-feedback d-block">{}</p>', ((error,) for error in field.errors)
        ),
    )


@register.simple_tag
def filter_field(field: BoundField, legend_hidden: bool = False) -> SafeString:
    """One field of a filter form: a group of checkboxes in a fieldset with its legend
    (``legend_hidden`` where a heading above already names it), a checkbox beside its
    label, any other widget under its label with its help text; errors below each, under
    the id the widget's ``aria-describedby`` names."""
    widget = field.widget_type
    if widget == "checkboxselectmultiple":
        return format_html(
            '<fieldset class="mb-3 filter-group"><legend class="form-label fs-6{}">{}</legend>'
            "{}{}</fieldset>",
            " visually-hidden" if legend_hidden else "",
            field.label,
            checkbox_list(field),
            _errors(field),
        )
    if widget == "checkbox":
        return format_html(
            '<div class="form-check mb-3">{}<label class="form-check-label" for="{}">{}</label>'
            "{}</div>",
            input_widget(field),
            field.id_for_label,
            field.label,
            _errors(field),
        )
    control = (
        select_widget(field) if widget in ("select", "selectmultiple") else input_widget(field)
    )
    help_text = (
        format_html(
            '<div class="form-text" id="{}_helptext">{}</div>', field.auto_id, field.help_text
        )
        if field.help_text
        else ""
    )
    return format_html(
        '<div class="mb-3"><label class="form-label" for="{}">{}</label>{}{}{}</div>',
        field.id_for_label,
        field.label,
        control,
        help_text,
        _errors(field),
    )
