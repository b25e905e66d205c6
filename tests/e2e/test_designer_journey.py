"""Browser journey through the survey designer: everything in place on one page (htmx
swaps the designer, the page is never reloaded), each question previewed as a respondent
sees it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from surveys.models import Question, Survey
from tests.e2e.helpers import E2E, assert_accessible, sign_in
from tests.factories.accounts import PASSWORD

pytestmark = E2E


@pytest.fixture
def empty(transactional_db):
    now = timezone.now()
    return Survey.objects.create(
        title="Enquête des ateliers 2027", slug="enquete-ateliers-2027", audience="both",
        opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=30),
        intro="Bienvenue.", thank_you="Merci.",
    )  # fmt: skip


def test_build_a_section_a_grid_and_a_condition_in_place(page, empty, staff_editor):
    sign_in(page, staff_editor.email, PASSWORD)
    page.goto(f"/enquetes/{empty.slug}/concevoir/")
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_role("link", name="Ajouter une partie").click()
    page.get_by_label("Titre").fill("Vos attentes")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="Partie 1 · Vos attentes")).to_be_visible()

    page.get_by_role("link", name="Ajouter une question à cette partie").click()
    page.locator("#id_question-label").fill("Venez-vous au séminaire ?")
    page.locator("#id_question-kind").select_option(label="oui / non")
    page.locator("#id_question-code").fill("seminaire")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("code", has_text="seminaire")).to_be_visible()

    page.get_by_role("link", name="Ajouter une question à cette partie").click()
    page.locator("#id_question-label").fill("Quel intérêt pour ces formats ?")
    page.locator("#id_question-kind").select_option(
        label="grille (même échelle sur plusieurs lignes)"
    )
    page.locator("#id_question-code").fill("formats")
    page.get_by_label("Choix (ou colonnes d'une grille, ou éléments à classer)").fill(
        "Faible\nFort"
    )
    page.get_by_label("Lignes de la grille").fill("Ateliers\nVisites")
    page.get_by_role("button", name="Enregistrer").click()
    grid = page.locator("table.survey-grid")
    expect(grid).to_be_visible()
    expect(grid.get_by_role("row", name="Visites")).to_be_visible()

    # The grid is asked only to those who come: a condition on the earlier question.
    formats = Question.objects.get(code="formats")
    page.get_by_role("link", name="Modifier « formats »").click()
    page.locator("#id_rules-0-source").select_option(label="seminaire — Venez-vous au séminaire ?")
    page.locator("#id_rules-0-operator").select_option(label="la réponse est « oui »")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("seminaire : la réponse est « oui »")).to_be_visible()
    assert formats.rules.count() == 1
    assert_accessible(page)

    # Move it up: refused (it would come before the answer it reads), and said.
    page.get_by_role("button", name="Monter « formats »").click()
    expect(page.get_by_text("lit une réponse qui viendrait après elle")).to_be_visible()

    page.get_by_role("button", name="Ouvrir l'enquête aux répondants").click()
    expect(page.get_by_text("L'enquête est ouverte aux répondants.")).to_be_visible()
    empty.refresh_from_db()
    assert empty.status == Survey.Status.OPEN
    # Everything but opening happened in place.
    page.goto(f"/enquetes/{empty.slug}/concevoir/")
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("link", name="Modifier « seminaire »").click()
    page.get_by_role("link", name="Annuler").click()
    assert page.evaluate("window.stillTheSamePage") is True
