"""Importing INSEE's density grid, and the setting it proposes for each entry."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from clusters.models import DirectoryEntry
from reference.models import Commune, setting_for_density

# The shape of INSEE's file: a title block, then the header row, then one row a commune.
GRID = """Grille communale de densité à 7 niveaux;;;
Source : Insee;;;
;;;
CODGEO;LIBGEO;DENS;LIBDENS
69123;Lyon;1;Grands centres urbains
63003;Ambert;5;Bourgs ruraux
15187;Saint-Flour;4;Petites villes
63113;Clermont-Ferrand;1;Grands centres urbains
99999;Nulle part;7;Rural à habitat très dispersé
01001;Mauvaise ligne;9;?
"""


def test_levels_map_to_settings():
    assert [setting_for_density(level) for level in range(1, 8)] == [
        "urban", "urban", "peri_urban", "peri_urban", "rural", "rural", "rural",
    ]  # fmt: skip
    assert setting_for_density(None) is None


def test_csv_import_sets_levels_and_reports_what_it_skipped(places, tmp_path):
    path = tmp_path / "grille.csv"
    path.write_text(GRID, encoding="utf-8")
    out = io.StringIO()
    call_command("import_density_grid", str(path), stdout=out)
    assert "4 communes updated; 1 unknown codes; 1 rows with an unreadable level" in out.getvalue()
    levels = dict(
        Commune.objects.filter(code__in=["69123", "63003", "15187"]).values_list(
            "code", "density_level"
        )
    )
    assert levels == {"69123": 1, "63003": 5, "15187": 4}


def test_xlsx_import_with_labels_instead_of_numbers(places, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Grille communale de densité"])
    sheet.append([])
    sheet.append(["CODGEO", "LIBGEO", "DENS"])
    sheet.append(["63003", "Ambert", "Rural à habitat dispersé"])
    sheet.append([69123, "Lyon", 2])
    path = tmp_path / "grille.xlsx"
    workbook.save(path)
    call_command("import_density_grid", str(path), stdout=io.StringIO())
    assert Commune.objects.get(code="63003").density_level == 6
    assert Commune.objects.get(code="69123").density_level == 2


def test_dry_run_writes_nothing_and_a_file_without_the_columns_is_refused(places, tmp_path):
    path = tmp_path / "grille.csv"
    path.write_text(GRID, encoding="utf-8")
    call_command("import_density_grid", str(path), "--dry-run", stdout=io.StringIO())
    assert Commune.objects.get(code="69123").density_level is None
    wrong = tmp_path / "autre.csv"
    wrong.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Colonnes introuvables"):
        call_command("import_density_grid", str(wrong), stdout=io.StringIO())


def test_admin_proposes_the_setting_and_applies_it(staff_client, places, directory, tmp_path):
    path = tmp_path / "grille.csv"
    path.write_text(GRID, encoding="utf-8")
    call_command("import_density_grid", str(path), stdout=io.StringIO())
    entry = directory["pays"]
    DirectoryEntry.objects.filter(pk=entry.pk).update(setting="")
    page = staff_client.get(f"/admin/clusters/territory/{entry.pk}/change/").content.decode()
    assert "périurbain (niveau 4 de la grille communale de densité)" in page
    staff_client.post(
        "/admin/clusters/territory/",
        {"action": "apply_suggested_setting", "_selected_action": [entry.pk]},
    )
    assert DirectoryEntry.objects.get(pk=entry.pk).setting == "peri_urban"
