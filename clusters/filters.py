"""What the directory and the practice list show: one definition reused by the pages,
the exports and the map."""

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusters.models import (
    INNOVATION_PLACE_KINDS,
    STRUCTURE_KINDS,
    TERRITORY_KINDS,
    Category,
    DirectoryEntry,
    Practice,
    PracticePartner,
)
from core.search import SearchOutcome, search
from reference.models import FundingMeasure, Setting, Theme
from reference.selectors import place_choices

YES_NO = [("1", _("oui")), ("0", _("non"))]
FIRST_YEAR, LAST_YEAR = 1990, 2100


def _css_class(widget) -> str:
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


def _flatten(choices) -> list[tuple]:
    """Choices with their groups opened."""
    flat = []
    for key, label in choices:
        if isinstance(label, list | tuple):
            flat.extend(label)
        else:
            flat.append((key, label))
    return flat


class SearchFilterSet(django_filters.FilterSet):
    """A FilterSet with a full-text search box and a sort order; the search runs after
    the filters, so that the ranking sees only matching rows."""

    q = django_filters.CharFilter(
        label=_("Rechercher"),
        method="filter_nothing",
        widget=forms.TextInput(attrs={"type": "search", "maxlength": 200}),
    )
    sort_choices: list = []
    default_sort = ""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.search_outcome: SearchOutcome | None = None
        regions, departments = place_choices()
        if "region" in self.filters:
            self.filters["region"].extra["choices"] = regions
        if "departement" in self.filters:
            self.filters["departement"].extra["choices"] = departments
        for field in self.form.fields.values():
            field.widget.attrs.setdefault("class", _css_class(field.widget))

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        text = data.get("q") or ""
        sort = data.get("tri") or ""
        if text:
            self.search_outcome = search(queryset, text)
            queryset = self.search_outcome.queryset
            if not sort:
                return queryset.order_by("-rank", *self.tie_breakers)
        return queryset.order_by(*self.sort_fields(sort or self.default_sort))

    def sort_fields(self, sort: str) -> list[str]:
        raise NotImplementedError

    def active_filters(self) -> list[dict]:
        """The filters in use, each with its label and the address without it, for the
        removable chips above the results."""
        if not self.is_bound or not self.is_valid():
            return []
        chips = []
        for name, value in self.form.cleaned_data.items():
            if name == "tri" or value is None or value == "" or value is False:
                continue
            field = self.form.fields[name]
            # Model choices would cost a query: their values are model objects already.
            labels = (
                {}
                if isinstance(field, forms.ModelChoiceField)
                else dict(_flatten(getattr(field, "choices", [])))
            )
            if value is True:
                chips.append(self._chip(name, None, str(field.label)))
            elif isinstance(value, str):
                chips.append(self._chip(name, value, f"{field.label} : {labels.get(value, value)}"))
            elif hasattr(value, "__iter__"):
                for item in value:
                    raw = getattr(item, "slug", None) or getattr(item, "code", None) or item
                    shown = labels.get(item, item) if isinstance(item, str) else item
                    chips.append(self._chip(name, str(raw), f"{field.label} : {shown}"))
            else:
                shown = int(value) if value == int(value) else value
                chips.append(self._chip(name, None, f"{field.label} : {shown}"))
        return chips

    def _chip(self, name: str, raw: str | None, label: str) -> dict:
        remaining = self.data.copy()
        if raw is None:
            remaining.pop(name, None)
        else:
            remaining.setlist(name, [v for v in remaining.getlist(name) if v != raw])
        remaining.pop("page", None)
        return {"label": label, "query": remaining.urlencode()}


class DirectoryFilter(SearchFilterSet):
    categorie = django_filters.ChoiceFilter(
        field_name="category",
        label=_("Catégorie"),
        choices=Category.choices,
        empty_label=_("Structures et territoires"),
    )
    type = django_filters.MultipleChoiceFilter(
        distinct=False,
        field_name="kind",
        label=_("Type"),
        choices=[(k.value, k.label) for k in [*STRUCTURE_KINDS, *TERRITORY_KINDS]],
        widget=forms.CheckboxSelectMultiple,
    )
    lieu_innovation = django_filters.BooleanFilter(
        label=_("Lieux d'innovation seulement"),
        method="filter_innovation_places",
        widget=forms.CheckboxInput,
    )
    region = django_filters.ChoiceFilter(
        field_name="region__code", label=_("Région"), empty_label=_("Toutes les régions")
    )
    departement = django_filters.ChoiceFilter(
        field_name="department__code",
        label=_("Département"),
        empty_label=_("Tous les départements"),
    )
    theme = django_filters.ModelMultipleChoiceFilter(
        field_name="themes",
        to_field_name="slug",
        queryset=Theme.objects.all(),
        label=_("Thèmes"),
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
        method="filter_themes",
    )
    milieu = django_filters.MultipleChoiceFilter(
        distinct=False,
        field_name="setting",
        label=_("Milieu"),
        choices=Setting.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    avec_pratiques = django_filters.BooleanFilter(
        label=_("Avec des pratiques publiées"),
        method="filter_has_practices",
        widget=forms.CheckboxInput,
    )
    tri = django_filters.ChoiceFilter(
        label=_("Trier par"),
        method="filter_nothing",
        empty_label=_("pertinence, sinon nom"),
        choices=[
            ("nom", _("nom")),
            ("pratiques", _("nombre de pratiques")),
            ("recent", _("dernière mise à jour")),
        ],
    )
    default_sort = "nom"
    tie_breakers = ["name", "pk"]

    class Meta:
        model = DirectoryEntry
        fields = []

    def filter_themes(self, queryset, name, value):
        if not value:
            return queryset
        # Any of the chosen themes; EXISTS keeps one row per entry without DISTINCT.
        return queryset.filter(
            pk__in=DirectoryEntry.themes.through.objects.filter(theme__in=value).values(
                "directoryentry_id"
            )
        )

    def filter_innovation_places(self, queryset, name, value):
        return queryset.filter(kind__in=INNOVATION_PLACE_KINDS) if value else queryset

    def filter_has_practices(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(published_practice_count__gt=0) if value else queryset

    def sort_fields(self, sort: str) -> list[str]:
        return {
            "pratiques": ["-published_practice_count", "name", "pk"],
            "recent": ["-updated_at", "pk"],
        }.get(sort, ["name", "pk"])


class PracticeFilter(SearchFilterSet):
    theme = django_filters.ModelMultipleChoiceFilter(
        field_name="themes",
        to_field_name="slug",
        queryset=Theme.objects.all(),
        label=_("Thèmes"),
        widget=forms.CheckboxSelectMultiple,
        method="filter_themes",
    )
    region = django_filters.ChoiceFilter(
        label=_("Région"), empty_label=_("Toutes les régions"), method="filter_region"
    )
    departement = django_filters.ChoiceFilter(
        label=_("Département"), empty_label=_("Tous les départements"), method="filter_department"
    )
    type = django_filters.MultipleChoiceFilter(
        distinct=False,
        field_name="kind",
        label=_("Type de pratique"),
        choices=Practice.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    mesure = django_filters.ModelMultipleChoiceFilter(
        field_name="funding_measures",
        to_field_name="code",
        queryset=FundingMeasure.objects.all(),
        label=_("Mesure FEADER"),
        widget=forms.CheckboxSelectMultiple,
        method="filter_measures",
    )
    rural_urbain = django_filters.BooleanFilter(
        field_name="rural_urban",
        label=_("Coopération rural–urbain"),
        widget=forms.CheckboxInput,
        method="filter_rural_urban",
    )
    chef_de_file = django_filters.MultipleChoiceFilter(
        distinct=False,
        field_name="lead_kind",
        label=_("Type du chef de file"),
        choices=[
            (_("Structures"), [(k.value, k.label) for k in STRUCTURE_KINDS]),
            (_("Territoires"), [(k.value, k.label) for k in TERRITORY_KINDS]),
        ],
    )
    annee_min = django_filters.NumberFilter(
        label=_("Active depuis (année)"),
        method="filter_year_from",
        widget=forms.NumberInput(attrs={"min": FIRST_YEAR, "max": LAST_YEAR}),
    )
    annee_max = django_filters.NumberFilter(
        label=_("Active jusqu'en (année)"),
        method="filter_year_to",
        widget=forms.NumberInput(attrs={"min": FIRST_YEAR, "max": LAST_YEAR}),
    )
    avancement = django_filters.MultipleChoiceFilter(
        distinct=False,
        field_name="status",
        label=_("Avancement"),
        choices=Practice.Status.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    structure = django_filters.CharFilter(
        label=_("Avec la structure ou le territoire"),
        method="filter_entry",
        widget=forms.HiddenInput,
    )
    tri = django_filters.ChoiceFilter(
        label=_("Trier par"),
        method="filter_nothing",
        empty_label=_("pertinence, sinon les plus récentes"),
        choices=[
            ("recent", _("les plus récentes")),
            ("titre", _("titre")),
            ("annee", _("année de début")),
        ],
    )
    default_sort = "recent"
    tie_breakers = ["-published_at", "pk"]

    class Meta:
        model = Practice
        fields = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("annee_min", "annee_max"):
            field = self.form.fields[name]
            field.validators = [
                *field.validators,
                MinValueValidator(FIRST_YEAR),
                MaxValueValidator(LAST_YEAR),
            ]
            field.widget.attrs["step"] = 1

    def filter_themes(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            pk__in=Practice.themes.through.objects.filter(theme__in=value).values("practice_id")
        )

    def filter_measures(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            pk__in=Practice.funding_measures.through.objects.filter(
                fundingmeasure__in=value
            ).values("practice_id")
        )

    def filter_entry(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            pk__in=PracticePartner.objects.filter(entry__slug=value, entry__published=True).values(
                "practice_id"
            )
        )

    def filter_region(self, queryset, name, value):
        return queryset.filter(region_codes__contains=[value]) if value else queryset

    def filter_department(self, queryset, name, value):
        return queryset.filter(department_codes__contains=[value]) if value else queryset

    def filter_rural_urban(self, queryset, name, value):
        return queryset.filter(rural_urban=True) if value else queryset

    def filter_year_from(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(Q(end_year__isnull=True) | Q(end_year__gte=value))

    def filter_year_to(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(Q(start_year__isnull=True) | Q(start_year__lte=value))

    def sort_fields(self, sort: str) -> list[str]:
        return {
            "titre": ["title", "pk"],
            "annee": ["-start_year", "title", "pk"],
        }.get(sort, ["-published_at", "pk"])
