"""Places a person names in a search: a commune (by name, INSEE code or postcode), a
department or a region. The autocomplete offers labels that resolve back to exactly
one place ("Ambert (63600)", "Puy-de-Dôme (63)", "Auvergne-Rhône-Alpes (région)"); what
a person types without it is resolved as well as it can be."""

import re
from dataclasses import dataclass
from math import cos, radians

from django.db.models import F, FloatField, Q, QuerySet
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt
from django.utils.translation import gettext as _

from core.search import Unaccented, plain
from reference.models import Commune, Department, Region

EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE = 111.2
MAX_RADIUS_KM = 200
SUGGESTIONS = 10

INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$", re.IGNORECASE)
POSTCODE = re.compile(r"^\d{5}$")
DEPARTMENT_CODE = re.compile(r"^(\d{2}|2[AB]|97\d)$", re.IGNORECASE)
LABELLED = re.compile(r"^(?P<name>.+?)\s*\((?P<tag>[^()]+)\)$")


@dataclass(frozen=True)
class Place:
    kind: str  # "commune", "department" or "region"
    code: str
    name: str
    label: str
    latitude: float | None = None
    longitude: float | None = None
    commune_id: int | None = None

    @property
    def is_commune(self) -> bool:
        return self.kind == "commune"

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def _commune_place(commune: Commune) -> Place:
    postcode = commune.postcodes[0] if commune.postcodes else commune.code
    return Place(
        kind="commune",
        code=commune.code,
        name=commune.name,
        label=f"{commune.name} ({postcode})",
        latitude=commune.latitude,
        longitude=commune.longitude,
        commune_id=commune.pk,
    )


def _department_place(department: Department) -> Place:
    return Place(
        kind="department",
        code=department.code,
        name=department.name,
        label=f"{department.name} ({department.code})",
    )


def _region_place(region: Region) -> Place:
    return Place(
        kind="region", code=region.code, name=region.name, label=f"{region.name} ({_('région')})"
    )


def _communes() -> QuerySet:
    # The most populous first: "Saint-Martin" alone means the largest of them.
    return Commune.objects.only(
        "pk", "code", "name", "postcodes", "latitude", "longitude", "population"
    ).order_by(F("population").desc(nulls_last=True), "code")


def _by_name(queryset: QuerySet, name: str) -> QuerySet:
    return queryset.annotate(plain_name=Unaccented("name")).filter(plain_name__iexact=plain(name))


def place_resolve(raw: str | None) -> Place | None:
    """The place a text names, or None. Understands the autocomplete's labels, INSEE
    codes, postcodes, department codes, and commune, department or region names."""
    text = " ".join((raw or "").split())[:120]
    if not text:
        return None
    labelled = LABELLED.match(text)
    if labelled:
        name, tag = labelled["name"], labelled["tag"].strip()
        if plain(tag) in {"region", "région"}:
            region = _by_name(Region.objects.all(), name).first()
            return _region_place(region) if region else None
        if POSTCODE.match(tag) or INSEE_CODE.match(tag):
            commune = (
                _by_name(_communes(), name)
                .filter(Q(postcodes__contains=[tag]) | Q(code=tag.upper()))
                .first()
            )
            if commune:
                return _commune_place(commune)
        if DEPARTMENT_CODE.match(tag):
            department = Department.objects.filter(code=tag.upper()).first()
            if department:
                return _department_place(department)
        text = name
    if INSEE_CODE.match(text):
        commune = _communes().filter(code=text.upper()).first()
        if commune:
            return _commune_place(commune)
    if POSTCODE.match(text):
        commune = _communes().filter(postcodes__contains=[text]).first()
        return _commune_place(commune) if commune else None
    if DEPARTMENT_CODE.match(text):
        department = Department.objects.filter(code=text.upper()).first()
        return _department_place(department) if department else None
    department = _by_name(Department.objects.all(), text).first()
    if department:
        return _department_place(department)
    region = _by_name(Region.objects.all(), text).first()
    if region:
        return _region_place(region)
    commune = _by_name(_communes(), text).first()
    return _commune_place(commune) if commune else None


def place_suggestions(raw: str | None, limit: int = SUGGESTIONS) -> list[Place]:
    """Places whose name starts with the typed text, or whose code or postcode does:
    regions and departments first, then the most populous communes."""
    text = " ".join((raw or "").split())[:60]
    if len(text) < 2:
        return []
    needle = plain(text)
    places: list[Place] = []
    if text.isdigit():
        if len(text) <= 3:
            places += [
                _department_place(d)
                for d in Department.objects.filter(code__startswith=text).order_by("code")[:3]
            ]
        communes = _communes().filter(Q(code__startswith=text) | Q(postcodes__contains=[text]))
        if len(text) < 5:
            # A partial postcode: the communes of its first postcodes.
            communes = _communes().filter(code__startswith=text)
    else:
        places += [
            _region_place(r)
            for r in Region.objects.annotate(plain_name=Unaccented("name"))
            .filter(plain_name__istartswith=needle)
            .order_by("name")[:2]
        ]
        places += [
            _department_place(d)
            for d in Department.objects.annotate(plain_name=Unaccented("name"))
            .filter(plain_name__istartswith=needle)
            .order_by("name")[:3]
        ]
        communes = _communes().annotate(plain_name=Unaccented("name"))
        communes = communes.filter(plain_name__istartswith=needle)
    places += [_commune_place(c) for c in communes[: limit - len(places)]]
    return places[:limit]


# --- Distances -------------------------------------------------------------------------------


def bounding_box(place: Place, km: float) -> dict:
    """Latitude and longitude bounds around a place, for an index-friendly first cut."""
    dlat = km / KM_PER_DEGREE
    dlon = km / (KM_PER_DEGREE * max(cos(radians(place.latitude)), 0.01))
    return {
        "latitude__range": (place.latitude - dlat, place.latitude + dlat),
        "longitude__range": (place.longitude - dlon, place.longitude + dlon),
    }


def distance_km(place: Place, latitude="latitude", longitude="longitude"):
    """The great-circle distance in kilometres from ``place`` to the row's point, as a
    database expression (haversine)."""
    lat0, lon0 = radians(place.latitude), radians(place.longitude)
    dlat = Radians(F(latitude)) - lat0
    dlon = Radians(F(longitude)) - lon0
    a = Power(Sin(dlat / 2), 2) + cos(lat0) * Cos(Radians(F(latitude))) * Power(Sin(dlon / 2), 2)
    return 2 * EARTH_RADIUS_KM * ASin(Sqrt(a), output_field=FloatField())
