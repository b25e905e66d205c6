"""The filter forms' inputs written from Python are exactly those Django would write."""

import re

import pytest
from django.http import QueryDict
from django.template import Context, Template
from django.utils import translation

from clusters.filters import DirectoryFilter, PracticeFilter
from core.templatetags.filter_widgets import PLAIN_INPUTS, filter_field, input_widget
from events.filters import EventFilter

FILTERS = [DirectoryFilter, PracticeFilter, EventFilter]
QUERIES = [
    "",  # unbound: empty inputs
    "q=bois+%22local%22&annee_min=2015&annee_max=2020&rural_urbain=on&structure=12",
    "q=%3Cscript%3E&annee_min=abc&annee_max=-5&rural_urbain=maybe&structure=x&rayon=9",
]


@pytest.mark.django_db
@pytest.mark.parametrize("filterset_class", FILTERS)
@pytest.mark.parametrize("query", QUERIES)
def test_plain_inputs_match_django(filterset_class, query, themes):
    filterset = filterset_class(
        QueryDict(query) or None, queryset=filterset_class._meta.model.objects.none()
    )
    form = filterset.form
    if query:
        form.is_valid()  # bad values: errors, aria-invalid, the typed text kept
    plain = [field for field in form if field.field.widget.template_name in PLAIN_INPUTS]
    assert plain, "each filter form has plain inputs"
    for field in plain:
        assert str(input_widget(field)) == str(field), field.name


@pytest.mark.django_db
def test_other_widgets_are_left_to_django(themes):
    form = PracticeFilter(None, queryset=PracticeFilter._meta.model.objects.none()).form
    assert str(input_widget(form["theme"])) == str(form["theme"])


# What the filter forms' fields were written with before ``filter_field``: its markup is
# the reference the tag must keep (the same elements, attributes, texts and order), but
# for the errors and the help text, now under the ids the widget's aria-describedby names.
FIELD_TEMPLATE = """{% load i18n filter_widgets %}{% with widget=field.widget_type %}
{% if widget == "checkboxselectmultiple" %}
<fieldset class="mb-3 filter-group">
  <legend class="form-label fs-6{% if legend_hidden %} visually-hidden{% endif %}">{{ field.label }}</legend>
  {% checkbox_list field %}
  {% if field.errors %}<div id="{{ field.auto_id }}_error">{% for error in field.errors %}<p class="invalid-feedback d-block">{{ error }}</p>{% endfor %}</div>{% endif %}
</fieldset>
{% elif widget == "checkbox" %}
<div class="form-check mb-3">
  {% input_widget field %}
  <label class="form-check-label" for="{{ field.id_for_label }}">{{ field.label }}</label>
  {% if field.errors %}<div id="{{ field.auto_id }}_error">{% for error in field.errors %}<p class="invalid-feedback d-block">{{ error }}</p>{% endfor %}</div>{% endif %}
</div>
{% else %}
<div class="mb-3">
  <label class="form-label" for="{{ field.id_for_label }}">{{ field.label }}</label>
  {% if widget == "select" or widget == "selectmultiple" %}{% select_widget field %}{% else %}{% input_widget field %}{% endif %}
  {% if field.help_text %}<div class="form-text" id="{{ field.auto_id }}_helptext">{{ field.help_text }}</div>{% endif %}
  {% if field.errors %}<div id="{{ field.auto_id }}_error">{% for error in field.errors %}<p class="invalid-feedback d-block">{{ error }}</p>{% endfor %}</div>{% endif %}
</div>
{% endif %}
{% endwith %}"""  # noqa: E501 (the template as it was)


def _tight(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.django_db
@pytest.mark.parametrize("filterset_class", [DirectoryFilter, PracticeFilter])
@pytest.mark.parametrize(
    "query",
    [*QUERIES, "theme=bois-foret&theme=nope&region=84&departement=zz&type=cluster&tri=x"],
)
@pytest.mark.parametrize("legend_hidden", [False, True])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_filter_fields_match_their_template(
    filterset_class, query, legend_hidden, language, themes
):
    reference = Template(FIELD_TEMPLATE)
    with translation.override(language):
        filterset = filterset_class(
            QueryDict(query) or None, queryset=filterset_class._meta.model.objects.none()
        )
        form = filterset.form
        if query:
            form.is_valid()
        kinds = set()
        for field in form:
            kinds.add(field.widget_type)
            expected = reference.render(Context({"field": field, "legend_hidden": legend_hidden}))
            written = str(filter_field(field, legend_hidden=legend_hidden))
            assert _tight(written) == _tight(expected)
            # What a screen reader is pointed to exists, once.
            for target in re.findall(r'aria-describedby="([^"]+)"', written):
                for name in target.split():
                    assert written.count(f'id="{name}"') == 1, (field.name, name)
            if field.errors:
                assert f'id="{field.auto_id}_error"' in written
    # Every kind of field the template knew is covered.
    assert {"checkboxselectmultiple", "checkbox", "select"} <= kinds


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/annuaire/?departement=zz&theme=nope&lieu=zzzzqqq&rayon=9",
        "/pratiques/?departement=zz&theme=nope&annee_min=abc&lieu=zzzzqqq",
        "/carte/?departement=zz&theme=nope&lieu=zzzzqqq",
        "/agenda/?theme=nope&region=zz&type=nope",
    ],
)
def test_a_page_with_bad_filters_points_each_field_to_its_message(client, themes, path):
    response = client.get(path)
    assert response.status_code == 400
    html = response.content.decode()
    targets = {
        name
        for target in re.findall(r'aria-describedby="([^"]+)"', html)
        for name in target.split()
    }
    assert any(name.endswith("_error") for name in targets)
    for name in targets:
        assert html.count(f'id="{name}"') == 1, name
