import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import FrozenChoices
from core.search import clean_query, search_query
from events.models import Event, Registration, Status
from reference.selectors import place_choices, themes


class EventFilter(django_filters.FilterSet):
    """What the agenda shows."""

    q = django_filters.CharFilter(method="search", label=_("Rechercher"), max_length=200)
    type = django_filters.MultipleChoiceFilter(
        field_name="kind",
        label=_("Type"),
        choices=Event.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    theme = django_filters.ChoiceFilter(
        label=_("Thème"), empty_label=_("Tous les thèmes"), method="filter_theme"
    )
    region = django_filters.ChoiceFilter(
        field_name="region__code", label=_("Région"), empty_label=_("Toutes les régions")
    )

    class Meta:
        model = Event
        fields = []

    def filter_theme(self, queryset, name: str, value: str):
        chosen = [theme.pk for theme in themes() if theme.slug == value]
        return queryset.filter(themes__in=chosen)

    def search(self, queryset, name: str, value: str):
        text = clean_query(value)
        return queryset.filter(search_vector=search_query(text)) if text else queryset

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        regions, _departments = place_choices()
        self.filters["region"].extra["choices"] = regions
        # Among the themes the process keeps: no query to list them or to read the chosen one.
        self.filters["theme"].extra["choices"] = FrozenChoices(
            (theme.slug, theme.name) for theme in themes()
        )
        self.form.fields["q"].widget = forms.TextInput(
            attrs={"type": "search", "class": "form-control"}
        )
        for field in self.form.fields.values():
            if isinstance(field.widget, forms.TextInput):
                continue
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs.setdefault("class", "form-check-input")
            else:
                field.widget.attrs.setdefault("class", "form-select")


class AttendeeFilter(django_filters.FilterSet):
    """Who the welcome desk and the attendee exports show: one definition for both."""

    q = django_filters.CharFilter(method="search", label=_("Nom ou structure"), max_length=100)
    statut = django_filters.ChoiceFilter(
        label=_("Statut"),
        method="by_status",
        empty_label=_("Inscrits et en attente"),
        choices=[
            ("confirmed", _("inscrits confirmés")),
            ("waitlisted", _("en liste d'attente")),
            ("cancelled", _("annulés")),
            ("all", _("tous, annulés compris")),
        ],
    )

    class Meta:
        model = Registration
        fields = []

    def search(self, queryset, name: str, value: str):
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(
            Q(full_name__unaccent__icontains=text) | Q(structure_name__unaccent__icontains=text)
        )

    def by_status(self, queryset, name: str, value: str):
        return queryset if value == "all" else queryset.filter(status=value)

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("statut"):
            queryset = queryset.exclude(status=Status.CANCELLED)
        return super().filter_queryset(queryset).order_by("full_name", "pk")
