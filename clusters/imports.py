"""Importing structures and territories from a CSV or XLSX file.

Every row is checked by a form before anything is written; every error of every row is
listed at once, in French, naming the line, the column and the value. Nothing is
written until the whole file is valid; then every row is written in one transaction,
through the same service as the admin's form.
"""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusters import services
from clusters.models import (
    STRUCTURE_KINDS,
    TERRITORY_KINDS,
    Category,
    DirectoryEntry,
)
from core.forms import validate_no_html
from core.search import plain
from core.tables import Table
from reference.models import Commune, Department, Setting, Theme

REQUIRED = ["name"]
COLUMNS = [
    "name", "kind", "commune", "setting", "themes", "published", "slug", "acronym",
    "description", "website", "email", "phone", "address", "population",
]  # fmt: skip
TERRITORY_COLUMNS = [*COLUMNS, "departments"]
# Headers as French spreadsheets often write them.
ALIASES = {
    "nom": "name", "type": "kind", "milieu": "setting", "themes": "themes", "thèmes": "themes",
    "publiee": "published", "publié": "published", "publiée": "published", "sigle": "acronym",
    "presentation": "description", "présentation": "description", "site": "website",
    "site web": "website", "e-mail": "email", "courriel": "email", "telephone": "phone",
    "téléphone": "phone", "adresse": "address", "code insee": "commune",
    "departements": "departments", "départements": "departments", "identifiant": "slug",
}  # fmt: skip
YES = {"1", "oui", "vrai", "true", "yes", "x", "o"}
NO = {"", "0", "non", "faux", "false", "no", "n"}


def _column(header: str) -> str:
    name = " ".join(header.strip().lower().split())
    return ALIASES.get(name, ALIASES.get(plain(name), name))


def _codes(value: str) -> list[str]:
    return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]


class EntryRowForm(forms.Form):
    """One row of the file: the values as the admin's form would take them."""

    name = forms.CharField(max_length=200, validators=[validate_no_html])
    kind = forms.CharField(required=False)
    commune = forms.CharField(required=False)
    setting = forms.CharField(required=False)
    themes = forms.CharField(required=False)
    published = forms.CharField(required=False)
    slug = forms.CharField(required=False, max_length=220)
    acronym = forms.CharField(required=False, max_length=40, validators=[validate_no_html])
    description = forms.CharField(required=False, max_length=5000)
    website = forms.URLField(required=False, max_length=200, assume_scheme="https")
    email = forms.EmailField(required=False)
    phone = forms.CharField(required=False, max_length=30, validators=[validate_no_html])
    address = forms.CharField(required=False, max_length=250, validators=[validate_no_html])
    population = forms.IntegerField(required=False, min_value=0, max_value=100_000_000)
    departments = forms.CharField(required=False)

    error_messages = {
        "name": {"required": gettext_lazy("le nom est obligatoire")},
        "website": {"invalid": gettext_lazy("ce n'est pas une adresse web")},
        "email": {"invalid": gettext_lazy("ce n'est pas une adresse e-mail")},
        "population": {"invalid": gettext_lazy("ce n'est pas un nombre entier")},
    }

    def __init__(self, *args, category: str, lookups: "Lookups", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.category = category
        self.lookups = lookups
        for name, messages in self.error_messages.items():
            self.fields[name].error_messages.update(messages)

    def clean_kind(self) -> str:
        value = self.cleaned_data["kind"]
        kinds = STRUCTURE_KINDS if self.category == Category.STRUCTURE else TERRITORY_KINDS
        by_name = {plain(str(k.label)): k.value for k in kinds} | {k.value: k.value for k in kinds}
        if not value:
            raise ValidationError(_("le type est obligatoire"))
        kind = by_name.get(plain(value))
        if kind is None:
            raise ValidationError(
                _("type inconnu ; types possibles : %(kinds)s")
                % {"kinds": ", ".join(f"{k.value} ({k.label})" for k in kinds)}
            )
        return kind

    def clean_commune(self) -> Commune | None:
        code = self.cleaned_data["commune"].upper()
        if not code:
            return None
        if code.isdigit() and len(code) == 4:
            code = f"0{code}"  # a spreadsheet dropped the leading zero
        commune = self.lookups.communes.get(code)
        if commune is None:
            raise ValidationError(_("aucune commune n'a ce code INSEE (5 caractères, ex. 63003)"))
        return commune

    def clean_setting(self) -> str:
        value = plain(self.cleaned_data["setting"])
        if not value:
            return ""
        settings = {s.value: s.value for s in Setting} | {
            plain(str(s.label)): s.value for s in Setting
        }
        settings["peri-urbain"] = Setting.PERI_URBAN
        if value not in settings:
            raise ValidationError(
                _("milieu inconnu ; valeurs possibles : urbain, périurbain, rural")
            )
        return settings[value]

    def clean_themes(self) -> list[Theme]:
        slugs = _codes(self.cleaned_data["themes"])
        unknown = [slug for slug in slugs if slug not in self.lookups.themes]
        if unknown:
            raise ValidationError(
                _("thème inconnu : %(unknown)s ; thèmes possibles : %(known)s")
                % {"unknown": ", ".join(unknown), "known": ", ".join(sorted(self.lookups.themes))}
            )
        return [self.lookups.themes[slug] for slug in slugs]

    def clean_departments(self) -> list[Department]:
        codes = [code.upper().zfill(2) for code in _codes(self.cleaned_data["departments"])]
        unknown = [code for code in codes if code not in self.lookups.departments]
        if unknown:
            raise ValidationError(
                _("département inconnu : %(codes)s (codes INSEE, ex. 63, 2A, 974)")
                % {"codes": ", ".join(unknown)}
            )
        return [self.lookups.departments[code] for code in codes]

    def clean_published(self) -> bool:
        value = plain(self.cleaned_data["published"])
        if value in YES:
            return True
        if value in NO:
            return False
        raise ValidationError(_("écrivez oui ou non"))

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug and slugify(slug) != slug:
            raise ValidationError(
                _("un identifiant ne contient que des minuscules, chiffres et tirets")
            )
        return slug


@dataclass
class Lookups:
    """Everything the rows are checked against, read once per file."""

    communes: dict[str, Commune]
    themes: dict[str, Theme]
    departments: dict[str, Department]
    entries: dict[str, DirectoryEntry]  # by slug
    by_name: dict[tuple[str, str], DirectoryEntry]  # by (category, plain name)


def _lookups(table: Table, column_index: dict[str, int]) -> Lookups:
    codes = set()
    if "commune" in column_index:
        for row in table.rows:
            code = row[column_index["commune"]].upper()
            codes.update({code, f"0{code}"})
    entries = list(DirectoryEntry.objects.only("pk", "slug", "name", "category"))
    return Lookups(
        communes={c.code: c for c in Commune.objects.filter(code__in=codes)},
        themes={t.slug: t for t in Theme.objects.all()},
        departments={d.code: d for d in Department.objects.all()},
        entries={e.slug: e for e in entries},
        by_name={(e.category, plain(e.name)): e for e in entries},
    )


@dataclass
class RowError:
    line: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        if self.column and not self.value:
            return _("Ligne %(line)s, colonne « %(column)s » : %(message)s.") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        if self.column:
            return _("Ligne %(line)s, colonne « %(column)s » (« %(value)s ») : %(message)s.") % {
                "line": self.line,
                "column": self.column,
                "value": self.value[:60],
                "message": self.message,
            }
        return _("Ligne %(line)s : %(message)s.") % {"line": self.line, "message": self.message}


@dataclass
class PlannedRow:
    line: int
    data: dict
    existing: DirectoryEntry | None

    @property
    def action(self) -> str:
        return _("mise à jour") if self.existing else _("création")


@dataclass
class ImportCheck:
    file_errors: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: list[PlannedRow] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.file_errors and not self.errors and bool(self.rows)


def entries_import_check(*, table: Table, category: str) -> ImportCheck:
    """Check every row of ``table`` and say what importing it would do, writing
    nothing."""
    check = ImportCheck()
    allowed = TERRITORY_COLUMNS if category == Category.TERRITORY else COLUMNS
    columns = [_column(header) for header in table.header]
    unknown = [h for h, c in zip(table.header, columns, strict=True) if c not in allowed]
    if unknown:
        check.file_errors.append(
            _("Colonnes inconnues : %(unknown)s. Colonnes possibles : %(allowed)s.")
            % {"unknown": ", ".join(f"« {h} »" for h in unknown), "allowed": ", ".join(allowed)}
        )
    seen = [c for c in columns if c in allowed]
    doubled = sorted({c for c in seen if seen.count(c) > 1})
    if doubled:
        check.file_errors.append(
            _("Colonnes en double : %(columns)s.") % {"columns": ", ".join(doubled)}
        )
    missing = [c for c in [*REQUIRED, "kind"] if c not in columns]
    if missing:
        check.file_errors.append(
            _("Colonnes obligatoires absentes : %(missing)s.") % {"missing": ", ".join(missing)}
        )
    if check.file_errors:
        return check
    index = {c: i for i, c in enumerate(columns)}
    lookups = _lookups(table, index)
    slugs_in_file: dict[str, int] = {}
    for number, row in enumerate(table.rows):
        line = number + 2
        values = {c: row[i] for c, i in index.items()}
        if number in table.overflowing:
            check.errors.append(RowError(line, "", "", _("plus de valeurs que de colonnes")))
        form = EntryRowForm(values, category=category, lookups=lookups)
        if not form.is_valid():
            for name, problems in form.errors.as_data().items():
                for problem in problems:
                    for message in problem.messages:
                        check.errors.append(RowError(line, name, values.get(name, ""), message))
            continue
        # Only the columns the file has: an update leaves the others as they are.
        data = {name: form.cleaned_data[name] for name in index}
        data.setdefault("slug", "")
        existing = (
            lookups.entries.get(data["slug"])
            if data["slug"]
            else lookups.by_name.get((category, plain(data["name"])))
        )
        if existing is not None and existing.category != category:
            check.errors.append(
                RowError(
                    line, "slug", data["slug"],
                    _("cet identifiant est déjà celui d'une fiche de l'autre catégorie"),
                )
            )  # fmt: skip
            continue
        key = data["slug"] or (existing.slug if existing else plain(data["name"]))
        if key in slugs_in_file:
            check.errors.append(
                RowError(
                    line, "slug" if data["slug"] else "name", data["slug"] or data["name"],
                    _("même fiche que la ligne %(line)s") % {"line": slugs_in_file[key]},
                )
            )  # fmt: skip
            continue
        slugs_in_file[key] = line
        check.rows.append(PlannedRow(line=line, data=data, existing=existing))
    if not check.rows and not check.errors:
        check.file_errors.append(_("Le fichier n'a aucune ligne à importer."))
    return check


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0


@transaction.atomic
def entries_import(*, table: Table, category: str) -> ImportResult:
    """Import every row of ``table`` in one transaction, through the service that saves
    an entry; refused (nothing written) unless every row is valid."""
    check = entries_import_check(table=table, category=category)
    if not check.valid:
        raise ValidationError(check.file_errors + [str(e) for e in check.errors])
    result = ImportResult()
    for planned in check.rows:
        data = planned.data
        entry = (
            DirectoryEntry.objects.select_for_update().get(pk=planned.existing.pk)
            if planned.existing
            else DirectoryEntry(category=category, slug=data["slug"] or "")
        )
        for name in ("name", "kind", "acronym", "description", "website", "email", "phone",
                     "address", "population", "setting", "published"):  # fmt: skip
            if name in data:
                setattr(entry, name, data[name])
        if "commune" in data and data["commune"] != entry.commune:
            entry.commune = data["commune"]
            entry.latitude = entry.longitude = None  # the new commune's point
        services.entry_save(
            entry=entry, themes=data.get("themes"), departments=data.get("departments")
        )
        if planned.existing:
            result.updated += 1
        else:
            result.created += 1
    return result
