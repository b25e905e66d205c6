"""Importing structures and territories: every row's errors at once, in French, a file
problem as one message, nothing written until the whole file is valid, French Excel files
read as they are."""

import io
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clusters.models import DirectoryEntry
from core.search import search
from tests.factories.accounts import UserFactory
from tests.factories.clusters import make_entry

URL = "/admin/clusters/organisation/importer/"


def upload(staff_client, content, *, name="structures.csv", url=URL):
    raw = content if isinstance(content, bytes) else content.encode("utf-8")
    return staff_client.post(url, {"file": SimpleUploadedFile(name, raw)})


def confirm(staff_client, response, *, url=URL):
    token = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert token, response.content.decode()[:3000]
    return staff_client.post(url, {"token": token.group(1)})


def errors(response) -> list[str]:
    """The errors listed above the form, as the person reads them."""
    html = response.content.decode()
    block = re.search(r'<div class="errornote" role="alert">(.*?)</div>', html, re.S)
    if not block:
        return []
    items = re.findall(r"<li>(.*?)</li>", block.group(1), re.S)
    return [unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]


GOOD_AND_BAD = (
    "name,kind,commune,setting,themes,published\n"
    "Cluster du Lin,cluster,63003,rural,bois-foret,oui\n"
    'Fab lab de Lyon,fab lab,69123,urbain,"numerique,lieux-innovation-creativite",1\n'
    "Cluster fantôme,cluster,99999,rural,,1\n"
    "Sans type,,63003,rural,,1\n"
    "Drôle de milieu,cluster,63003,lunaire,,1\n"
    "Thème inconnu,cluster,63003,rural,chanvre,0\n"
    ",cluster,63003,rural,,1\n"
    "Publication floue,cluster,63003,rural,,peut-être\n"
).replace(
    "Thème inconnu,cluster,63003,rural,bois-foret,0", "Thème inconnu,cluster,63003,rural,chanvre,0"
)


def test_every_row_error_is_listed_at_once_in_french_and_nothing_is_written(staff_client, places):
    response = upload(staff_client, GOOD_AND_BAD)
    assert response.status_code == 400
    listed = errors(response)
    assert listed == [
        "Ligne 4, colonne « commune » (« 99999 ») : aucune commune n'a ce code INSEE "
        "(5 caractères, ex. 63003).",
        "Ligne 5, colonne « kind » : le type est obligatoire.",
        "Ligne 6, colonne « setting » (« lunaire ») : milieu inconnu ; valeurs possibles : "
        "urbain, périurbain, rural.",
        "Ligne 7, colonne « themes » (« chanvre ») : thème inconnu : chanvre ; thèmes "
        "possibles : " + listed[3].split("thèmes possibles : ")[1],
        "Ligne 8, colonne « name » : le nom est obligatoire.",
        "Ligne 9, colonne « published » (« peut-être ») : écrivez oui ou non.",
    ]
    assert "Traceback" not in response.content.decode()
    assert not DirectoryEntry.objects.filter(name__in=["Cluster du Lin", "Fab lab de Lyon"])


def test_a_valid_file_is_previewed_then_imported_through_the_service(staff_client, places):
    response = upload(
        staff_client,
        "name,kind,commune,setting,themes,published\n"
        "Cluster du Lin,cluster,63003,rural,bois-foret,oui\n"
        'Fab lab de Lyon,fab lab,69123,urbain,"numerique,lieux-innovation-creativite",1\n',
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 fiches prêtes à importer" in html
    assert not DirectoryEntry.objects.filter(name="Cluster du Lin").exists()
    done = confirm(staff_client, response)
    assert done.status_code == 302
    lin = DirectoryEntry.objects.get(name="Cluster du Lin")
    assert (lin.category, lin.department.code, lin.published) == ("structure", "63", True)
    assert lin.latitude == places["ambert"].latitude
    fablab = DirectoryEntry.objects.get(name="Fab lab de Lyon")
    assert (fablab.kind, fablab.setting) == ("fab_lab", "urban")
    assert sorted(fablab.themes.values_list("slug", flat=True)) == [
        "lieux-innovation-creativite",
        "numerique",
    ]
    assert search(DirectoryEntry.objects.published(), "lin").queryset.get() == lin


def test_a_file_saved_by_french_excel_is_read_as_is(staff_client, places):
    """Semicolons, Windows-1252, a French header and a leading zero lost by Excel."""
    content = (
        "nom;type;commune;milieu;publiée\r\nCoopérative de l'Étang;tiers-lieu;63003;rural;oui\r\n"
    )
    response = upload(staff_client, content.encode("cp1252"))
    assert response.status_code == 200, errors(response)
    confirm(staff_client, response)
    entry = DirectoryEntry.objects.get(name="Coopérative de l'Étang")
    assert entry.kind == "tiers_lieu"
    bom = "\ufeffname;kind;commune\r\nCluster de l'Ain;cluster;1001\r\n"
    from tests.factories.reference import CommuneFactory

    CommuneFactory(code="01001", name="L'Abergement-Clémenciat")
    response = upload(staff_client, bom.encode("utf-8"))
    assert response.status_code == 200, errors(response)
    confirm(staff_client, response)
    assert DirectoryEntry.objects.get(name="Cluster de l'Ain").commune.code == "01001"


def test_an_xlsx_file_is_read_too(staff_client, places):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "kind", "commune", "population"])
    sheet.append(["Technopole des Volcans", "technopole", 63003, 1200])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(staff_client, buffer.getvalue(), name="structures.xlsx")
    assert response.status_code == 200, errors(response)
    confirm(staff_client, response)
    entry = DirectoryEntry.objects.get(name="Technopole des Volcans")
    assert (entry.kind, entry.population, entry.commune.code) == ("technopole", 1200, "63003")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("kind,commune\ncluster,63003\n", "Colonnes obligatoires absentes : name."),
        ("name,kind\n", "Le fichier n'a aucune ligne à importer."),
        ("", "Le fichier soumis est vide."),
        ("\n\n", "Le fichier est vide."),
        (",".join(f"c{n}" for n in range(3000)) + "\n", "Le fichier a 3000 colonnes : 40 au plus."),
        ("name,kind,couleur\nA,cluster,vert\n", "Colonnes inconnues : « couleur »."),
        ("name,kind\nA,cluster\x00\n", "caractères nuls"),
        ("name,name,kind\nA,B,cluster\n", "Colonnes en double : name."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1junk", "Excel 97–2003"),
        (b"PK\x03\x04not really a zip", "Ce classeur XLSX est illisible."),
    ],
)
def test_a_file_level_problem_is_one_french_message(staff_client, places, content, message):
    response = upload(staff_client, content)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in unescape(html), html[html.find("errornote") :][:1500]
    assert "Traceback" not in html


def test_a_file_too_large_is_refused(staff_client, places):
    big = "name,kind\n" + "A,cluster\n" * 300_000
    response = upload(staff_client, big)
    assert response.status_code == 400
    assert "Mo au plus" in response.content.decode()


def test_an_update_leaves_the_columns_the_file_does_not_have(staff_client, places, themes):
    entry = make_entry(
        "Pôle Lin",
        commune=places["ambert"],
        description="Filière lin.",
        themes=[themes["bois-foret"]],
    )
    entry.slug = "pole-lin"
    entry.save()
    response = upload(staff_client, "slug,name,kind\npole-lin,Pôle Lin et Chanvre,cluster\n")
    assert "mise à jour" in response.content.decode()
    confirm(staff_client, response)
    entry.refresh_from_db()
    assert entry.name == "Pôle Lin et Chanvre"
    assert entry.description == "Filière lin."
    assert list(entry.themes.values_list("slug", flat=True)) == ["bois-foret"]


def test_the_same_entry_twice_in_a_file_is_an_error(staff_client, places):
    response = upload(staff_client, "name,kind\nCluster A,cluster\ncluster a,cluster\n")
    assert errors(response) == [
        "Ligne 3, colonne « name » (« cluster a ») : même fiche que la ligne 2."
    ]


def test_territories_take_their_departments(staff_client, places):
    url = "/admin/clusters/territory/importer/"
    response = upload(
        staff_client, 'name,kind,departments\nPays des Volcans,pays,"63, 15"\n', url=url
    )
    assert response.status_code == 200, errors(response)
    confirm(staff_client, response, url=url)
    territory = DirectoryEntry.objects.get(name="Pays des Volcans")
    assert territory.category == "territory"
    assert sorted(territory.departments.values_list("code", flat=True)) == ["15", "63"]
    bad = upload(staff_client, "name,kind,departments\nPays X,pays,99\n", url=url)
    assert "département inconnu : 99" in errors(bad)[0]


def test_only_staff_who_may_add_entries_import_and_a_token_is_theirs(
    client, staff_client, places, member
):
    response = upload(staff_client, "name,kind\nCluster B,cluster\n")
    token = re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)
    client.force_login(member)
    assert client.get(URL).status_code == 302  # the admin's sign-in page
    other_staff = UserFactory(is_staff=True, groups=["Équipe ANPP"])
    client.force_login(other_staff)
    stolen = client.post(URL, {"token": token})
    assert stolen.status_code == 200
    assert "Ce fichier a expiré" in stolen.content.decode()
    assert not DirectoryEntry.objects.filter(name="Cluster B").exists()
    reader = UserFactory(is_staff=True)
    client.force_login(reader)
    assert client.get(URL).status_code == 403
