"""What the directory and the practice list show: one definition reused by the pages,
the exports and the map."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Min, OuterRef, Q, Subquery
from django.urls import reverse_lazy
from django.utils.translation import gettext
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
from core.forms import FrozenChoices, KeptMultipleChoiceField
from core.search import SearchOutcome, search
from reference.models import Setting
from reference.places import Place, bounding_box, distance_km, place_resolve
from reference.selectors import funding_measures, place_choices, themes

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


class KeptChoicesFilter(django_filters.Filter):
    """Any of several rows of reference data (themes, FEADER measures), chosen among the
    copy the process keeps: no query to list them or to read the chosen ones."""

    field_class = KeptMultipleChoiceField


class PlaceField(forms.CharField):
    """A commune, department or region, as the autocomplete labels it or as typed (a
    name, an INSEE code, a postcode); cleaned into a Place."""

    def clean(self, value) -> Place | None:
        text = super().clean(value)
        if not text:
            return None
        place = place_resolve(text)
        if place is None:
            raise ValidationError(
                _(
                    "Lieu inconnu : « %(value)s ». Tapez le nom d'une commune, d'un département "
                    "ou d'une région, ou un code postal, et choisissez dans la liste."
                ),
                params={"value": text[:60]},
                code="unknown_place",
            )
        return place


class PlaceFilter(django_filters.Filter):
    """Applied with its radius by the FilterSet, which sees both."""

    field_class = PlaceField

    def filter(self, qs, value):
        return qs


# Each FilterSet's form class, with the reference data it was built from (get_form_class).
_FORM_CLASSES: dict[type, tuple[tuple, type]] = {}

RADIUS_CHOICES = [(str(km), f"{km} km") for km in (5, 10, 20, 50, 100)]


def _chip_label(field, value) -> str:
    # The colon's spacing is the language's own: « Lieu : Ambert », "Place: Ambert".
    return gettext("%(filter)s : %(value)s") % {"filter": field.label, "value": value}


class SearchFilterSet(django_filters.FilterSet):
    """A FilterSet with a full-text search box, a place (with a radius around a commune)
    and a sort order; the search runs after the filters, so that the ranking sees only
    matching rows."""

    q = django_filters.CharFilter(
        label=_("Rechercher"),
        method="filter_nothing",
        widget=forms.TextInput(attrs={"type": "search", "maxlength": 200}),
    )
    lieu = PlaceFilter(
        label=_("Lieu"),
        widget=forms.TextInput(
            attrs={
                "maxlength": 120,
                "autocomplete": "off",
                "data-place-autocomplete": reverse_lazy("reference:place_autocomplete"),
                "placeholder": _("commune, code postal, département…"),
            }
        ),
        help_text=_("Une commune, un code postal, un département ou une région."),
    )
    rayon = django_filters.ChoiceFilter(
        label=_("Autour de la commune"),
        choices=RADIUS_CHOICES,
        method="filter_nothing",
        empty_label=_("la commune seule"),
    )
    sort_choices: list = []
    default_sort = ""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.search_outcome: SearchOutcome | None = None

    def get_form_class(self):
        """The form class, built once per process for the reference data it lists (the
        themes and measures kept, the regions and departments): django-filter builds a
        new class, with every field and its choices, for each request otherwise."""
        sources = (themes(), funding_measures(), place_choices())
        held = _FORM_CLASSES.get(type(self))
        if (
            held is not None
            and held[0][0] is sources[0]  # the kept rows: the very same (reloaded on change)
            and held[0][1] is sources[1]
            and held[0][2] == sources[2]  # plain data: equal is the same
        ):
            return held[1]
        regions, departments = sources[2]
        if "region" in self.filters:
            self.filters["region"].extra["choices"] = FrozenChoices(regions)
        if "departement" in self.filters:
            self.filters["departement"].extra["choices"] = FrozenChoices(departments)
        form_class = super().get_form_class()
        for field in form_class.base_fields.values():
            field.widget.attrs.setdefault("class", _css_class(field.widget))
        self.prepare_fields(form_class.base_fields)
        _FORM_CLASSES[type(self)] = (sources, form_class)
        return form_class

    def prepare_fields(self, fields: dict) -> None:
        """Adjust the form's fields once, when its class is built."""

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        text = data.get("q") or ""
        sort = data.get("tri") or ""
        place = data.get("lieu")
        radius = int(data["rayon"]) if data.get("rayon") and place and place.is_commune else None
        self.place, self.radius = place, radius
        by_distance = False
        if place:
            queryset = self.filter_place(queryset, place, radius)
            by_distance = radius is not None and place.has_point
        if text:
            self.search_outcome = search(queryset, text, candidates_by=self.tie_breakers)
            queryset = self.search_outcome.queryset
            if not sort:
                return queryset.order_by("-rank", *self.tie_breakers)
        if by_distance and sort in ("", "distance"):
            return queryset.order_by("distance_km", *self.tie_breakers)
        return queryset.order_by(*self.sort_fields(sort or self.default_sort))

    def filter_place(self, queryset, place: Place, radius: int | None):
        raise NotImplementedError

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
            if isinstance(value, Place | DirectoryEntry):
                shown = value.label if isinstance(value, Place) else value.name
                chips.append(self._chip(name, None, _chip_label(field, shown)))
            elif value is True:
                chips.append(self._chip(name, None, str(field.label)))
            elif isinstance(value, str):
                chips.append(self._chip(name, value, _chip_label(field, labels.get(value, value))))
            elif hasattr(value, "__iter__"):
                for item in value:
                    raw = getattr(item, "slug", None) or getattr(item, "code", None) or item
                    shown = labels.get(item, item) if isinstance(item, str) else item
                    chips.append(self._chip(name, str(raw), _chip_label(field, shown)))
            else:
                shown = int(value) if value == int(value) else value
                chips.append(self._chip(name, None, _chip_label(field, shown)))
        return chips

    def _chip(self, name: str, raw: str | None, label: str) -> dict:
        remaining = self.data.copy()
        if raw is None:
            remaining.pop(name, None)
        else:
            remaining.setlist(name, [v for v in remaining.getlist(name) if v != raw])
        remaining.pop("page", None)
        return {"label": label, "query": remaining.urlencode()}


class EntryField(forms.CharField):
    """A published structure or territory, by its slug; cleaned into the entry."""

    def clean(self, value) -> DirectoryEntry | None:
        slug = super().clean(value)
        if not slug:
            return None
        entry = (
            DirectoryEntry.objects.published().filter(slug=slug[:220]).only("pk", "name").first()
        )
        if entry is None:
            raise ValidationError(
                _("Aucune structure ni territoire publié n'a l'adresse « %(slug)s »."),
                params={"slug": slug[:60]},
                code="unknown_entry",
            )
        return entry


class EntryFilter(django_filters.Filter):
    field_class = EntryField


class DirectoryFilter(SearchFilterSet):
    categorie = django_filters.ChoiceFilter(
        field_name="category",
        label=_("Catégorie"),
        choices=Category.choices,
        empty_label=_("toutes"),
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
    theme = KeptChoicesFilter(
        rows=themes,
        to_field_name="slug",
        label=_("Thèmes"),
        widget=forms.CheckboxSelectMultiple,
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
            ("distance", _("distance (autour d'une commune)")),
        ],
    )
    default_sort = "nom"
    tie_breakers = ["name", "pk"]

    class Meta:
        model = DirectoryEntry
        fields = []

    def filter_place(self, queryset, place: Place, radius: int | None):
        """Entries in the region or department (a territory covering it counts), in the
        commune, or within ``radius`` km of it, with their distance."""
        if place.kind == "region":
            return queryset.filter(region__code=place.code)
        if place.kind == "department":
            covering = DirectoryEntry.departments.through.objects.filter(
                department__code=place.code
            ).values("directoryentry_id")
            return queryset.filter(Q(department__code=place.code) | Q(pk__in=covering))
        if radius is None or not place.has_point:
            return queryset.filter(commune_id=place.commune_id)
        return (
            queryset.filter(**bounding_box(place, radius))
            .annotate(distance_km=distance_km(place))
            .filter(distance_km__lte=radius)
        )

    def filter_themes(self, queryset, name, value):
        if not value:
            return queryset
        # Any of the chosen themes, read on the entry's copy of its theme ids (GIN index).
        return queryset.filter(theme_ids__overlap=[theme.pk for theme in value])

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
    theme = KeptChoicesFilter(
        rows=themes,
        to_field_name="slug",
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
    mesure = KeptChoicesFilter(
        rows=funding_measures,
        to_field_name="code",
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
    structure = EntryFilter(
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
            ("distance", _("distance (autour d'une commune)")),
        ],
    )
    default_sort = "recent"
    tie_breakers = ["-published_at", "pk"]

    class Meta:
        model = Practice
        fields = []

    def prepare_fields(self, fields: dict) -> None:
        for name in ("annee_min", "annee_max"):
            field = fields[name]
            field.validators = [
                *field.validators,
                MinValueValidator(FIRST_YEAR),
                MaxValueValidator(LAST_YEAR),
            ]
            field.widget.attrs["step"] = 1

    def filter_themes(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(theme_ids__overlap=[theme.pk for theme in value])

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
            pk__in=PracticePartner.objects.filter(entry=value).values("practice_id")
        )

    def filter_place(self, queryset, place: Place, radius: int | None):
        """Practices with a partner in the region, the department or the commune, or
        within ``radius`` km of it; their distance is their nearest partner's."""
        if place.kind == "region":
            return queryset.filter(region_codes__contains=[place.code])
        if place.kind == "department":
            return queryset.filter(department_codes__contains=[place.code])
        partners = PracticePartner.objects.filter(entry__published=True)
        if radius is None or not place.has_point:
            return queryset.filter(
                pk__in=partners.filter(entry__commune_id=place.commune_id).values("practice_id")
            )
        box = {f"entry__{key}": value for key, value in bounding_box(place, radius).items()}
        near = (
            partners.filter(**box)
            .annotate(distance_km=distance_km(place, "entry__latitude", "entry__longitude"))
            .filter(distance_km__lte=radius)
        )
        nearest = (
            near.filter(practice_id=OuterRef("pk"))
            .order_by()
            .values("practice_id")
            .annotate(nearest=Min("distance_km"))
            .values("nearest")
        )
        return queryset.filter(pk__in=near.values("practice_id")).annotate(
            distance_km=Subquery(nearest)
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
