"""Browser journeys through the directory, the practices and the map."""

import csv
import io
import re

from playwright.sync_api import expect

from clusters.models import Practice
from tests.e2e.helpers import E2E, assert_accessible, sign_in
from tests.factories.accounts import PASSWORD

pytestmark = E2E


def test_search_filter_open_a_practice_follow_a_partner_and_export(page, directory):
    page.goto("/annuaire/")
    assert_accessible(page)
    results = page.locator("#results")
    expect(results).to_contain_text("4 structures et territoires")

    # Filtering updates the results in place (htmx) and keeps the state in the address.
    page.get_by_role("checkbox", name="rural").check()
    expect(results).to_contain_text("2 structures et territoires")
    expect(page).to_have_url(re.compile(r"milieu=rural"))
    page.get_by_role("searchbox", name="Rechercher").fill("scieries")
    page.get_by_role("button", name="Afficher les résultats").click()
    expect(results).to_contain_text("1 structures et territoires")
    expect(page.get_by_role("link", name="Pôle Bois Montagne")).to_be_visible()

    page.goto("/pratiques/?q=cooperation")
    assert_accessible(page)
    page.get_by_role("link", name="Coopérations pour le bois local des chantiers urbains").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Coopérations pour le bois local des chantiers urbains"
    )
    expect(page.get_by_text("Ce qu'apporte le rural")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Métropole de Lyon").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Métropole de Lyon")
    expect(page.get_by_role("heading", name="Partenaires potentiels")).to_be_visible()
    assert_accessible(page)

    page.goto("/annuaire/?milieu=rural")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporter en CSV").click()
    download = download_info.value
    assert download.suggested_filename == "annuaire-interclusters.csv"
    text = download.path().read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [row["Nom"] for row in rows] == ["Pays de Saint-Flour", "Pôle Bois Montagne"]


def test_the_map_draws_markers_and_links_without_tiles(page, directory):
    page.goto("/carte/")
    expect(page.locator("#map-status")).to_contain_text("4 fiches et 2 liens")
    # No network here: the tiles fail, the notice says so, the markers stay.
    expect(page.locator("#map-tiles-notice")).to_be_visible()
    expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
    assert page.locator("path.leaflet-interactive").count() == 2
    expect(page.get_by_role("heading", name="4 fiches sur la carte")).to_be_visible()
    assert_accessible(page)


def test_the_map_groups_many_entries_and_zooms_into_a_group(page, directory, monkeypatch):
    """Past the detail limit the server sends groups; choosing one (keyboard included)
    zooms to it and the map asks again for its new view."""
    from clusters import selectors

    monkeypatch.setattr(selectors, "MAP_DETAIL_MAX", 1)
    page.goto("/carte/")
    expect(page.locator("#map-status")).to_contain_text("4 fiches en")
    # The first answer frames the entries; the map then asks for that view.
    expect(page.locator("#map")).to_have_attribute("data-view", re.compile(r"bbox="))
    page.wait_for_timeout(300)  # a move the framing may still make
    expect(page.locator("#map")).to_have_attribute("data-view", re.compile(r"bbox="))
    group = page.locator(".map-group").first
    expect(group).to_be_visible()
    expect(group).to_have_attribute("title", re.compile(r"^\d+ fiches ici : zoomer$"))
    assert_accessible(page)
    with page.expect_request(re.compile(r"donnees\.geojson\?zoom=\d+&bbox=")) as asked:
        group.focus()
        page.keyboard.press("Enter")
    assert "bbox=" in asked.value.url
    expect(page.locator("#map-status")).not_to_contain_text("4 fiches en")


def test_a_proposed_practice_waits_in_mon_espace_until_staff_publish_it(
    page, directory, member, staff_editor
):
    sign_in(page, member.email, PASSWORD)
    page.goto("/pratiques/proposer/")
    assert_accessible(page)
    page.get_by_role("textbox", name="Titre de la pratique").fill("Navette des marchés du Cantal")
    page.get_by_role("textbox", name="Résumé").fill("Une navette relie les villages aux marchés.")
    page.get_by_role("combobox", name="Type de pratique").select_option("shared_service")
    page.get_by_role("checkbox", name="Mobilité").check()
    # The autocomplete finds the lead in the directory.
    page.get_by_role("combobox", name="Partenaire 1").fill("Pays de")
    page.locator("#id_partners-0-name-suggestions option").first.wait_for(state="attached")
    page.get_by_role("combobox", name="Partenaire 1").fill("Pays de Saint-Flour")
    page.get_by_role("combobox", name="Partenaire 2").fill("Transporteurs du Cantal")
    page.get_by_role("button", name="Envoyer ma proposition").click()

    expect(page).to_have_url(re.compile("/compte/$"))
    expect(page.get_by_text("Merci ! Votre pratique")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Navette des marchés du Cantal"))
    expect(row).to_contain_text("Proposée")
    practice = Practice.objects.get(title="Navette des marchés du Cantal")
    assert practice.partners.get(role="lead").entry == directory["pays"]
    assert practice.partners.get(role="partner").name == "Transporteurs du Cantal"
    page.get_by_role("button", name="Se déconnecter").click()

    page.goto("/pratiques/")
    expect(page.get_by_text("Navette des marchés du Cantal")).to_have_count(0)

    sign_in(page, staff_editor.email, PASSWORD)
    page.goto("/admin/clusters/practicetoreview/")
    page.get_by_role("link", name="Navette des marchés du Cantal").click()
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_text("La pratique est publiée")).to_be_visible()

    page.goto("/pratiques/")
    expect(page.get_by_role("link", name="Navette des marchés du Cantal")).to_be_visible()
