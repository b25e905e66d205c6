"""What a person notices in the browser: the menu without JavaScript, maps in their own
language, the place field, and the calendar's sign-up first on a phone."""

import re

from playwright.sync_api import expect

from tests.e2e.helpers import E2E, assert_accessible
from tests.factories.events import make_event

pytestmark = E2E


def test_on_a_phone_without_javascript_the_menu_reaches_every_page(browser, live_server, db):
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        locale="fr-FR",
        viewport={"width": 390, "height": 844},
    )
    page = context.new_page()
    page.goto("/")
    navigation = page.get_by_role("navigation", name="Navigation principale")
    for name in ("Annuaire", "Agenda", "Se connecter"):
        expect(navigation.get_by_role("link", name=name)).to_be_visible()
    expect(navigation.get_by_role("button", name=re.compile("English"))).to_be_visible()
    navigation.get_by_role("link", name="Agenda").click()
    expect(page).to_have_url(re.compile(r"/agenda/$"))
    context.close()


def test_with_javascript_the_menu_folds_and_unfolds(page, db):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    agenda = page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Agenda"
    )
    expect(agenda).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(agenda).to_be_visible()


def test_the_map_speaks_the_page_s_language(page, directory, forest_lab):
    page.goto("/carte/")
    expect(page.get_by_role("button", name="Zoom avant")).to_be_visible()
    page.get_by_role("button", name="English").first.click()
    page.goto("/carte/")
    expect(page.get_by_role("button", name="Zoom in")).to_be_visible()
    expect(page.locator(".leaflet-control-attribution")).to_contain_text(
        "OpenStreetMap contributors"
    )
    page.goto(directory["bois"].get_absolute_url())
    expect(page.get_by_text(re.compile(r"2 themes in common: bois"))).to_be_visible()


def test_the_place_field_offers_places_and_finds_what_is_near(page, directory, places):
    places["ambert"].postcodes = ["63600"]
    places["ambert"].save()
    page.goto("/annuaire/")
    field = page.get_by_role("combobox", name="Lieu")
    field.fill("Amb")
    expect(page.locator("#id_lieu_list option[value='Ambert (63600)']")).to_have_count(1)
    field.fill("Ambert (63600)")
    page.get_by_label("Autour de la commune").select_option("50")
    page.get_by_role("button", name="Afficher les résultats").click()
    results = page.locator("#results")
    expect(results).to_contain_text("Lieu : Ambert (63600)")
    expect(results).to_contain_text("Pôle Bois Montagne")
    expect(results).not_to_contain_text("Métropole de Lyon")
    assert_accessible(page)


def test_on_a_phone_the_sign_up_comes_before_the_programme(page, db):
    event = make_event(workshops=(("Atelier A", 10), ("Atelier B", 10), ("Atelier C", 10)))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(event.get_absolute_url())
    sign_up = page.get_by_role("link", name="S'inscrire").first
    expect(sign_up).to_be_in_viewport()
    programme = page.get_by_role("heading", name="Programme des ateliers")
    assert sign_up.bounding_box()["y"] < programme.bounding_box()["y"]
