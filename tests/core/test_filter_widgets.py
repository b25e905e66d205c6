"""The filter forms' inputs written from Python are exactly those Django would write."""

import pytest
from django.http import QueryDict

from clusters.filters import DirectoryFilter, PracticeFilter
from core.templatetags.filter_widgets import PLAIN_INPUTS, input_widget
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
