"""Reference data: the geography of France, the themes and the FEADER measures."""

import gzip
import io

from django.core.management import call_command

from reference.models import Commune, Department, Epci, FundingMeasure, Region, Theme
from reference.services import DATA_DIR, source_current_commune_count


def load_all() -> str:
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    return out.getvalue()


def test_load_gives_regions_departments_and_every_current_commune(db):
    output = load_all()
    assert "Reference data loaded" in output
    assert Region.objects.count() == 18
    assert Department.objects.count() == 101
    assert Region.objects.get(code="84").name == "Auvergne-Rhône-Alpes"
    rhone = Department.objects.select_related("region").get(code="69")
    assert rhone.name == "Rhône"
    assert rhone.region.code == "84"
    lyon = Commune.objects.select_related("department", "epci").get(code="69123")
    assert lyon.name == "Lyon"
    assert lyon.department == rhone
    assert lyon.epci.name == "Métropole de Lyon"
    assert lyon.population > 500_000
    assert round(lyon.latitude, 1) == 45.8
    assert round(lyon.longitude, 1) == 4.8
    assert Commune.objects.get(code="2A004").department.code == "2A"
    assert Commune.objects.get(code="97411").department.region.name == "La Réunion"


def test_commune_count_matches_the_sources_current_communes(db):
    load_all()
    with gzip.open(DATA_DIR / "communes.csv.gz", "rt", encoding="utf-8") as handle:
        codes = {line.split(",", 1)[0] for line in handle.readlines()[1:]}
    assert Commune.objects.count() == len(codes) == source_current_commune_count() == 34_875
    assert Commune.objects.exclude(latitude=None).count() > 34_800
    assert Epci.objects.count() == 1255
    # Every point is a real one: the two town halls the source stores as NaN are left out
    # (a NaN would make the map data invalid JSON).
    assert not Commune.objects.filter(latitude=float("nan")).exists()
    assert Commune.objects.get(code="56098").latitude is None  # Lanester
    assert Commune.objects.filter(latitude=None).count() == 43


def test_load_is_idempotent_and_keeps_staff_edits_to_themes(db):
    load_all()
    theme = Theme.objects.get(slug="bois-foret")
    theme.description = "Texte revu par l'équipe."
    theme.save()
    Commune.objects.filter(code="69123").update(density_level=1)
    load_all()
    assert Commune.objects.count() == 34_875
    assert Region.objects.count() == 18
    assert Theme.objects.get(slug="bois-foret").description == "Texte revu par l'équipe."
    assert Commune.objects.get(code="69123").density_level == 1


def test_themes_and_feader_measures_of_the_programme(db):
    assert Theme.objects.count() == 12
    assert set(Theme.objects.values_list("slug", flat=True)) >= {
        "agroalimentaire",
        "bois-foret",
        "tourisme",
        "numerique",
        "lieux-innovation-creativite",
    }
    measures = {m.code: m for m in FundingMeasure.objects.all()}
    assert list(measures) == ["M6", "M7", "M16", "M19"]
    assert measures["M16"].article == "Art. 35"
    assert "LEADER" in measures["M19"].name


def test_a_coordinate_that_is_not_a_finite_number_is_no_coordinate():
    from reference.services import _float_or_none

    assert _float_or_none("45.76") == 45.76
    assert _float_or_none("") is None
    assert _float_or_none("nan") is None
    assert _float_or_none("-inf") is None
