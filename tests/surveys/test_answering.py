"""Answering a survey from an invitation link, as a representative, or in preview."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from clusters.models import Membership
from surveys import services
from surveys.models import Answer, Invitation, Response, hash_token
from tests.factories.surveys import answer_everything, choice, definition, invite, section_data

pytestmark = pytest.mark.django_db


def base(token: str) -> str:
    return f"/enquetes/r/{token}/"


def test_the_link_opens_the_intro_and_marks_the_invitation_opened(client, invitation):
    invitation, token = invitation
    page = client.get(base(token))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Enquête de test" in text
    assert "<strong>répondre</strong>" in text
    assert "Pôle Bois Montagne" in text
    assert "3 parties" in text
    invitation.refresh_from_db()
    assert invitation.opened_at is not None


def test_unknown_altered_withdrawn_and_draft_links_all_give_the_same_404(
    client, invitation, survey
):
    invitation, token = invitation
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    draft, _ = services.survey_load(definition("brouillon", status="draft"))
    other_invitation, other_token = invite(draft, invitation.entry)
    withdrawn_invitation, withdrawn_token = invitation, token
    pages = [client.get(base("inconnu")), client.get(base(altered)), client.get(base(other_token))]
    services.invitation_withdraw(invitation=withdrawn_invitation)
    pages.append(client.get(base(withdrawn_token)))
    pages.append(client.get(base(withdrawn_token) + "section/1/"))
    assert {page.status_code for page in pages} == {404}
    # The same page, once the per-request nonce and CSRF token are set aside.
    bodies = {re.sub(r'(nonce|value)="[^"]*"', "", page.content.decode()) for page in pages}
    assert len(bodies) == 1
    assert "Enquête de test" not in bodies.pop()


def test_tokens_are_long_random_and_looked_up_by_their_digest(invitation):
    invitation, token = invitation
    assert len(token) >= 43  # 32 random bytes, base64: 256 bits
    assert invitation.token_hash == hash_token(token) != token
    assert Invitation.objects.filter(token_hash=hash_token(token)).get() == invitation


def test_each_type_of_question_checks_its_answer_in_french_and_keeps_what_was_typed(
    client, invitation, questions
):
    _invitation, token = invitation
    q = questions
    page = client.post(
        f"{base(token)}section/1/",
        section_data(
            q, 1, type="", adherents="douze", etp="beaucoup",
            secteurs=[choice(q["secteurs"], "Bois"), "other"], secteurs_other="",
            difficulte="9",
        ),
    )  # fmt: skip
    assert page.status_code == 422
    text = page.content.decode()
    assert "Cette question est obligatoire." in text  # type
    assert "Saisissez un nombre entier, par exemple 12." in text
    assert "Saisissez un nombre, par exemple 0,5." in text
    assert "Précisez votre réponse « Autre »." in text
    assert "Sélectionnez un choix valide" in text  # scale out of range
    assert 'value="douze"' in text
    assert 'value="beaucoup"' in text
    assert 'aria-invalid="true"' in text
    assert not Response.objects.exists()

    too_many = client.post(
        f"{base(token)}section/1/",
        section_data(
            q, 1, type=choice(q["type"], "Pôle"), adherents="12", difficulte="3",
            secteurs=[choice(q["secteurs"], label) for label in ("Bois", "Tourisme", "Numérique",
                                                                  "Santé")],
        ),
    )  # fmt: skip
    assert "Cochez au plus 3 réponses." in too_many.content.decode()
    too_few = client.post(
        f"{base(token)}section/1/",
        section_data(
            q, 1, type=choice(q["type"], "Pôle"), adherents="12", difficulte="3",
            secteurs=[choice(q["secteurs"], "Bois")],
        ),
    )  # fmt: skip
    assert "Cochez au moins 2 réponses." in too_few.content.decode()

    later = client.post(
        f"{base(token)}section/3/",
        section_data(q, 3, contact="pas-une-adresse", site="pas un site"),
    )
    assert later.status_code == 422
    assert "Saisissez une adresse e-mail valide" in later.content.decode()
    assert "Saisissez une adresse web valide" in later.content.decode()
    bad_date = client.post(
        f"{base(token)}section/2/",
        section_data(q, 2, cooperent=choice(q["cooperent"], "Non"), ouverture="31/02/2015"),
    )
    assert "Saisissez une date valide, par exemple 03/12/2015." in bad_date.content.decode()
    unknown_choice = client.post(f"{base(token)}section/2/", section_data(q, 2, cooperent="999999"))
    assert unknown_choice.status_code == 422


def test_valid_answers_are_stored_with_their_type(client, invitation, questions):
    invitation, token = invitation
    answer_everything(client, questions, base(token))
    response = Response.objects.get()
    answers = {a.question.code: a for a in response.answers.select_related("question")}
    assert answers["adherents"].number == 120
    assert str(answers["etp"].number.normalize()) == "1.5"  # "1,5" read the French way
    assert {c.label for c in answers["secteurs"].choices.all()} == {"Bois", "Tourisme"}
    assert answers["difficulte"].number == 4
    assert answers["lieu"].boolean is True
    assert answers["ouverture"].date.isoformat() == "2012-05-03"
    assert answers["site"].text == "https://pole-bois.fr"
    assert response.status == Response.Status.DRAFT
    assert response.invitation == invitation
    invitation.refresh_from_db()
    assert invitation.started_at is not None
    assert invitation.submitted_at is None


def test_a_hidden_question_is_not_required_and_its_answer_is_dropped(client, invitation, questions):
    _invitation, token = invitation
    q = questions
    answer_everything(client, q, base(token), cooperent="Oui")
    response = Response.objects.get()
    assert response.answers.filter(question=q["exemple"]).exists()
    # Saying "Non" hides the story: it is not required and the saved one goes.
    page = client.post(
        f"{base(token)}section/2/",
        section_data(
            q, 2, cooperent=choice(q["cooperent"], "Non"), exemple="Texte envoyé quand même"
        ),
    )
    assert page.status_code == 302
    assert not response.answers.filter(question=q["exemple"]).exists()
    # Saying "Oui" makes it required again.
    page = client.post(
        f"{base(token)}section/2/", section_data(q, 2, cooperent=choice(q["cooperent"], "Oui"))
    )
    assert page.status_code == 422
    assert "Cette question est obligatoire." in page.content.decode()


def test_a_draft_survives_closing_the_browser_and_the_link_resumes_it(invitation, questions):
    _invitation, token = invitation
    q = questions
    first_visit = Client()
    saved = first_visit.post(
        f"{base(token)}section/1/",
        section_data(q, 1, action="save", adherents="75", etp="0,5"),
    )
    # Saving for later does not insist on required answers.
    assert saved.status_code == 302
    assert saved["Location"].endswith("/section/1/")
    assert "Vos réponses sont enregistrées" in first_visit.get(saved["Location"]).content.decode()

    another_device = Client()
    start = another_device.get(base(token)).content.decode()
    assert "Reprendre" in start
    section = another_device.get(f"{base(token)}section/1/").content.decode()
    assert 'value="75"' in section
    assert 'value="0,5"' in section


def test_going_back_keeps_the_answers_without_insisting_on_required_ones(
    client, invitation, questions
):
    _invitation, token = invitation
    q = questions
    page = client.post(
        f"{base(token)}section/2/",
        section_data(q, 2, action="previous", nom="La Fabrique"),
    )
    assert page.status_code == 302
    assert page["Location"].endswith("/section/1/")
    assert 'value="La Fabrique"' in client.get(f"{base(token)}section/2/").content.decode()


def test_review_submit_thanks_copy_and_read_only_summary(
    client, invitation, questions, mailoutbox, django_capture_on_commit_callbacks
):
    invitation, token = invitation
    answer_everything(client, questions, base(token))
    review = client.get(f"{base(token)}relecture/")
    text = review.content.decode()
    assert review.status_code == 200
    assert "Une scierie et un laboratoire." in text
    assert "1,5" in text
    assert "03/05/2012" in text

    with django_capture_on_commit_callbacks(execute=True):
        submitted = client.post(f"{base(token)}envoyer/")
    assert submitted["Location"].endswith("/merci/")
    assert "Merci beaucoup !" in client.get(submitted["Location"]).content.decode()
    response = Response.objects.get()
    assert response.status == Response.Status.SUBMITTED
    invitation.refresh_from_db()
    assert invitation.submitted_at is not None

    assert len(mailoutbox) == 1
    copy = mailoutbox[0]
    assert copy.to == ["contact@pole-bois.fr"]
    assert "Une scierie et un laboratoire." in copy.body
    assert copy.alternatives
    assert "Une scierie" in copy.alternatives[0][0]

    summary = client.get(base(token)).content.decode()
    assert "Réponses envoyées le" in summary
    assert "Une scierie et un laboratoire." in summary
    assert "Imprimer" in summary
    # The pages no longer change anything.
    again = client.post(f"{base(token)}section/1/", section_data(questions, 1, adherents="9999"))
    assert again.status_code == 302
    assert client.get(f"{base(token)}section/1/")["Location"] == base(token)
    assert response.answers.get(question=questions["adherents"]).number == 120


def test_submitting_with_missing_required_answers_says_which(client, invitation, questions):
    _invitation, token = invitation
    client.post(
        f"{base(token)}section/1/", section_data(questions, 1, action="save", adherents="10")
    )
    review = client.get(f"{base(token)}relecture/").content.decode()
    assert "Quel type ?" in review  # listed as missing
    page = client.post(f"{base(token)}envoyer/", follow=True)
    assert "Il manque des réponses obligatoires" in page.content.decode()
    assert Response.objects.get().status == Response.Status.DRAFT


def test_a_closed_survey_says_so_and_keeps_the_draft(client, invitation, questions, survey):
    _invitation, token = invitation
    client.post(
        f"{base(token)}section/1/", section_data(questions, 1, action="save", adherents="33")
    )
    survey.closes_at = timezone.now() - timedelta(minutes=1)
    survey.save()
    start = client.get(base(token)).content.decode()
    assert "close" in start.lower()
    page = client.post(
        f"{base(token)}section/1/", section_data(questions, 1, action="save", adherents="44")
    )
    assert page.status_code == 409
    assert 'value="44"' in page.content.decode()  # what was typed is shown again
    assert Response.objects.get().answers.get(question=questions["adherents"]).number == 33


def test_a_survey_not_yet_open_says_when_it_opens(client, invitation, survey):
    _invitation, token = invitation
    survey.opens_at = timezone.now() + timedelta(days=3)
    survey.save()
    text = client.get(base(token)).content.decode()
    assert "L'enquête ouvrira le" in text
    assert "Commencer" not in text


def test_submitting_again_changes_nothing(
    invitation, questions, mailoutbox, django_capture_on_commit_callbacks
):
    """A double click: see test_concurrency for requests at the same instant."""
    invitation, token = invitation
    client = Client()
    answer_everything(client, questions, base(token))
    with django_capture_on_commit_callbacks(execute=True):
        results = [client.post(f"{base(token)}envoyer/") for _ in range(10)]
    assert {r.status_code for r in results} == {302}
    assert Response.objects.filter(status=Response.Status.SUBMITTED).count() == 1
    assert len(mailoutbox) == 1


def test_a_representative_answers_for_their_structure_from_mon_espace(
    client, survey, directory, representative, questions
):
    Membership.objects.create(
        user=representative, entry=directory["bois"], role=Membership.Role.REPRESENTATIVE
    )
    client.force_login(representative)
    dashboard = client.get("/compte/").content.decode()
    assert "Enquête de test" in dashboard
    url = f"/enquetes/{survey.slug}/pour/{directory['bois'].slug}/"
    assert url in dashboard
    answer_everything(client, questions, url)
    assert client.post(f"{url}envoyer/")["Location"].endswith("/merci/")
    response = Response.objects.get()
    assert response.entry == directory["bois"]
    assert response.user == representative
    assert "Envoyée le" in client.get("/compte/").content.decode()
    mine = client.get("/compte/mes-donnees.json").json()["reponses_aux_enquetes"]
    assert mine[0]["enquete"] == "Enquête de test"
    assert mine[0]["pour"] == "Pôle Bois Montagne"


def test_nobody_else_answers_for_a_structure(client, survey, directory, member, representative):
    Membership.objects.create(
        user=representative, entry=directory["bois"], role=Membership.Role.REPRESENTATIVE
    )
    Membership.objects.create(user=member, entry=directory["labo"], role=Membership.Role.MEMBER)
    url = f"/enquetes/{survey.slug}/pour/{directory['bois'].slug}/"
    assert client.get(url)["Location"].startswith("/compte/connexion/")
    client.force_login(member)
    assert client.get(url).status_code == 404
    # A team member (not representative) of the lab cannot answer for it either.
    assert client.get(f"/enquetes/{survey.slug}/pour/{directory['labo'].slug}/").status_code == 404
    client.force_login(representative)
    # A territories' survey is not for a structure.
    territories, _ = services.survey_load(definition("territoires", audience="territories"))
    assert (
        client.get(f"/enquetes/{territories.slug}/pour/{directory['bois'].slug}/").status_code
        == 404
    )


def test_one_invitation_never_reaches_another_response(client, survey, directory, questions):
    for entry in (directory["bois"], directory["labo"]):
        entry.email = f"contact@{entry.slug}.fr"
        entry.save(update_fields=["email"])
    _first, first_token = invite(survey, directory["bois"])
    _second, second_token = invite(survey, directory["labo"])
    client.post(
        f"{base(first_token)}section/1/",
        section_data(questions, 1, action="save", adherents="555"),
    )
    other = Client().get(f"{base(second_token)}section/1/").content.decode()
    assert "555" not in other
    assert "Laboratoire des matériaux biosourcés" in other


def test_staff_preview_shows_the_pages_without_saving(staff_client, client, survey, questions):
    preview = f"/enquetes/{survey.slug}/apercu/"
    assert staff_client.get(preview).status_code == 200
    page = staff_client.post(f"{preview}section/1/", section_data(questions, 1, adherents="x"))
    assert page.status_code == 422  # the same checks as a respondent
    page = staff_client.post(
        f"{preview}section/1/",
        section_data(
            questions, 1, type=choice(questions["type"], "Cluster"), adherents="3", difficulte="2"
        ),
    )
    assert page.status_code == 302
    assert not Response.objects.exists()
    assert Client().get(preview).status_code == 404


def test_the_link_address_is_rate_limited(client, invitation, settings):
    _invitation, token = invitation
    settings.SURVEY_TOKEN_RATE = "5/m"
    codes = [client.get(base("mauvais-jeton")).status_code for _ in range(6)]
    assert codes[:5] == [404] * 5
    assert codes[5] == 429
    assert "Trop de requêtes" in client.get(base(token)).content.decode()


@pytest.mark.parametrize("page", ["", "section/1/", "section/2/", "relecture/"])
def test_answering_pages_run_few_queries(
    client, invitation, questions, page, django_assert_max_num_queries
):
    _invitation, token = invitation
    answer_everything(client, questions, base(token))
    # 11 for the page, 1 for every condition of the survey (questions' and sections'),
    # and 2 for the rate limit on tokens (its counter, shared by every process: created,
    # then incremented).
    with django_assert_max_num_queries(14):
        assert client.get(f"{base(token)}{page}").status_code == 200


def test_answers_survive_in_the_database_with_the_unique_constraint(invitation, survey):
    invitation, _token = invitation
    first = services.response_open(survey=survey, entry=invitation.entry, invitation=invitation)
    second = services.response_open(survey=survey, entry=invitation.entry, invitation=invitation)
    assert first.pk == second.pk
    assert Answer.objects.count() == 0
