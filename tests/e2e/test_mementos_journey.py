"""Browser journey: an editor writes a memento in the admin, a publisher publishes it, a
visitor reads it and downloads its PDF."""

import re

from playwright.sync_api import expect

from mementos.models import Memento
from tests.e2e.helpers import E2E, assert_accessible, sign_in
from tests.factories.accounts import PASSWORD
from tests.factories.files import pdf_bytes

pytestmark = E2E


def test_write_preview_publish_read_and_download(
    browser,
    live_server,
    page,
    staff_editor,
    publisher,
    tmp_path,
):
    document = tmp_path / "memento.pdf"
    document.write_bytes(pdf_bytes())

    # The editor writes a draft with two sections and a PDF.
    sign_in(page, staff_editor.email, PASSWORD)
    page.goto("/admin/mementos/memento/add/")
    page.locator("#id_number").fill("7")
    page.locator("#id_title").press_sequentially("Coopérer entre ville et campagne")
    expect(page.locator("#id_slug")).to_have_value("cooperer-entre-ville-et-campagne")
    page.locator("#id_summary").fill("Ce que les **territoires** ont appris.")
    page.locator("#id_key_questions").fill("Par où commencer ?\nAvec qui ?")
    page.locator("#id_pdf").set_input_files(str(document))
    add_section = page.locator("#sections-group .add-row a")
    add_section.click()
    add_section.click()
    page.locator("#id_sections-0-title").fill("Un diagnostic partagé")
    page.locator("#id_sections-0-body").fill("Commencer par *écouter* les entreprises.")
    page.locator("#id_sections-1-title").fill("Des moyens d'animation")
    page.locator("#id_sections-1-body").fill("- un chargé de mission\n- un lieu")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("ajouté")
    memento = Memento.objects.get(number=7)
    assert memento.status == "draft"
    assert memento.sections.count() == 2

    # And a case study.
    page.goto("/admin/mementos/monograph/add/")
    page.locator("#id_memento").select_option(label=str(memento))
    page.locator("#id_title").fill("Le Pays qui écoute ses entreprises")
    page.locator("#id_summary").fill("Un diagnostic mené avec les chefs d'entreprise.")
    page.locator("#id_context").fill("Un territoire **rural** et industriel.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("ajouté")

    # The editor previews it as the public will see it; publishing is not theirs.
    page.goto("/mementos/cooperer-entre-ville-et-campagne/")
    expect(page.get_by_text("Aperçu réservé à l'équipe")).to_be_visible()
    expect(page.get_by_role("heading", name="Un diagnostic partagé")).to_be_visible()
    page.goto("/admin/mementos/memento/")
    expect(page.locator("select[name=action] option[value=mark_published]")).to_have_count(0)
    page.context.close()

    # The publisher publishes it.
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    sign_in(page, publisher.email, PASSWORD)
    page.goto("/admin/mementos/memento/")
    page.get_by_role("row", name=re.compile("Coopérer entre ville et campagne")).get_by_role(
        "checkbox"
    ).check()
    page.locator("select[name=action]").select_option("mark_published")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_contain_text("1 mémento mis à jour")
    context.close()

    # A visitor reads it and downloads the PDF.
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.goto("/mementos/")
    assert_accessible(page)
    page.get_by_role("link", name="Coopérer entre ville et campagne", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Coopérer entre ville et campagne")
    expect(page.get_by_text("Aperçu réservé à l'équipe")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Sommaire")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Télécharger le PDF")).click()
    assert download.value.suggested_filename == "memento-7-cooperer-entre-ville-et-campagne.pdf"
    assert download.value.path().read_bytes().startswith(b"%PDF-")
    page.get_by_role("link", name="Le Pays qui écoute ses entreprises").click()
    expect(page.get_by_text("Un territoire rural et industriel.")).to_be_visible()
    assert_accessible(page)
    context.close()
