"""The staff's tools: loading, building, inviting, reminding, withdrawing."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from clusters.models import DirectoryEntry
from surveys import data, services
from surveys.models import Choice, Invitation, Question, Response, Section, Survey
from tests.factories.clusters import make_entry
from tests.factories.surveys import answer_everything, invite

pytestmark = pytest.mark.django_db


def link(message) -> str:
    return re.search(r"https?://\S+/enquetes/r/[\w-]+/", message.body).group(0)


def test_the_2015_surveys_load_once_with_their_conditions(capsys):
    call_command("load_surveys")
    call_command("load_surveys")
    assert "already there" in capsys.readouterr().out
    clusters = Survey.objects.get(slug="enquete-2015-clusters")
    territories = Survey.objects.get(slug="enquete-2015-territoires")
    assert Survey.objects.count() == 2
    for survey, count in ((clusters, 23), (territories, 18)):
        questions = Question.objects.filter(section__survey=survey)
        assert 15 <= questions.count() <= 25
        assert questions.count() == count
    kinds = set(Question.objects.filter(section__survey=clusters).values_list("kind", flat=True))
    assert kinds == set(Question.Kind.values)  # every type of question is used
    place = Question.objects.get(section__survey=clusters, code="lieu_nom")
    assert place.condition_choice.question.code == "lieu"
    assert place.condition_choice.label == "Oui"
    assert clusters.audience == "structures"
    assert territories.audience == "territories"


def test_a_definition_with_a_broken_condition_is_refused():
    broken = {**data.surveys_2015()[0], "slug": "cassee"}
    broken["sections"] = [
        {"title": "A", "questions": [data.q("x", "X ?", "long_text", condition=("y", "Oui"))]}
    ]
    with pytest.raises(ValueError, match="depends on y"):
        services.survey_load(broken)
    assert not Survey.objects.filter(slug="cassee").exists()


def test_staff_invite_from_the_directory_with_personal_links(
    staff_client, survey, directory, mailoutbox, django_capture_on_commit_callbacks
):
    bois, labo = directory["bois"], directory["labo"]
    bois.email = "contact@pole-bois.fr"
    bois.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        started = staff_client.post(
            "/admin/clusters/organisation/",
            {
                "action": "invite_entries",
                "_selected_action": [bois.pk, labo.pk],
                "apply": "1",
                "survey": survey.pk,
            },
        )
    # The worker sends them; the action leads to the progress of the send.
    text = staff_client.get(started["Location"]).content.decode()
    assert "Envoi terminé : 1 / 1" in text
    assert "Sans adresse e-mail, non invitées : Laboratoire des matériaux biosourcés." in text
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["contact@pole-bois.fr"]
    assert survey.title in message.subject
    html = message.alternatives[0][0]
    assert link(message) in html  # the same link in the text and HTML parts
    invitation = Invitation.objects.get()
    assert invitation.sent_at is not None
    # The link works without an account.
    assert Client().get(link(message)).status_code == 200
    # Inviting again sends nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            "/admin/clusters/organisation/",
            {"action": "invite_entries", "_selected_action": [bois.pk], "apply": "1",
             "survey": survey.pk},
        )  # fmt: skip
    assert len(mailoutbox) == 1
    assert Invitation.objects.count() == 1


def test_staff_invite_a_selection_by_region_and_kind(
    staff_client, survey, directory, places, mailoutbox, django_capture_on_commit_callbacks
):
    for entry in DirectoryEntry.objects.all():
        entry.email = f"contact@{entry.slug}.fr"
        entry.save(update_fields=["email"])
    make_entry("Cluster normand", commune=None, email="contact@normand.fr")
    url = f"/admin/surveys/survey/{survey.pk}/inviter/"
    counted = staff_client.post(url, {"regions": ["84"], "kinds": ["cluster"]})
    assert "1 fiches correspondent" in counted.content.decode()
    assert not Invitation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        sent = staff_client.post(url, {"regions": ["84"], "kinds": ["cluster"], "send": "1"})
    assert sent.status_code == 302
    assert list(Invitation.objects.values_list("entry__name", flat=True)) == ["Pôle Bois Montagne"]
    assert len(mailoutbox) == 1
    # Without a kind, the survey's audience decides: structures, never territories.
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {"regions": ["84"], "send": "1"})
    invited = set(Invitation.objects.values_list("entry__name", flat=True))
    assert invited == {"Pôle Bois Montagne", "Laboratoire des matériaux biosourcés"}


def test_only_staff_with_the_permission_reach_the_invitation_tools(client, member, survey):
    client.force_login(member)
    assert client.get(f"/admin/surveys/survey/{survey.pk}/inviter/").status_code == 302
    assert client.get("/admin/surveys/invitation/").status_code == 302


def test_reminders_go_to_those_who_have_not_submitted_with_the_same_link(
    staff_client, survey, directory, questions, mailoutbox, django_capture_on_commit_callbacks
):
    for entry in (directory["bois"], directory["labo"], directory["pays"]):
        entry.email = f"contact@{entry.slug}.fr"
        entry.save(update_fields=["email"])
    answered, answered_token = invite(survey, directory["bois"])
    waiting, waiting_token = invite(survey, directory["labo"])
    recent, _recent_token = invite(survey, directory["pays"])
    # Invited ten days ago, but for the one invited yesterday: no reminder within a week.
    Invitation.objects.exclude(pk=recent.pk).update(sent_at=timezone.now() - timedelta(days=10))
    Invitation.objects.filter(pk=recent.pk).update(sent_at=timezone.now() - timedelta(days=1))
    client = Client()
    answer_everything(client, questions, f"/enquetes/r/{answered_token}/")
    client.post(f"/enquetes/r/{answered_token}/envoyer/")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        started = staff_client.post(
            "/admin/surveys/invitation/",
            {
                "action": "remind_invitations",
                "_selected_action": [answered.pk, waiting.pk, recent.pk],
            },
        )
    text = staff_client.get(started["Location"]).content.decode()
    assert "Envoi terminé : 1 / 1" in text
    assert "2 invitations non relancées : réponse envoyée" in text
    assert [m.to for m in mailoutbox] == [[waiting.email]]
    assert mailoutbox[0].subject.startswith("Rappel")
    assert waiting_token in mailoutbox[0].body
    waiting.refresh_from_db()
    assert waiting.reminded_at is not None
    listing = staff_client.get(f"/admin/surveys/invitation/?survey__id__exact={survey.pk}")
    assert listing.status_code == 200


def test_the_reminder_command_has_a_dry_run_and_skips_recent_sends(
    survey, directory, mailoutbox, capsys, django_capture_on_commit_callbacks
):
    entry = directory["bois"]
    entry.email = "contact@pole-bois.fr"
    entry.save(update_fields=["email"])
    invitation, token = invite(survey, entry)
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now() - timedelta(days=2))
    call_command("send_survey_reminders")
    assert "0 invitation(s) reminded" in capsys.readouterr().out
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now() - timedelta(days=9))
    call_command("send_survey_reminders", "--dry-run")
    out = capsys.readouterr().out
    assert "Pôle Bois Montagne" in out
    assert "1 invitation(s) would be reminded" in out
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_survey_reminders", "--survey", survey.slug)
    assert len(mailoutbox) == 1
    assert token in mailoutbox[0].body


def test_withdrawing_stops_the_link_and_a_new_link_replaces_the_old(
    staff_client, invitation, mailoutbox, django_capture_on_commit_callbacks
):
    invitation, token = invitation
    staff_client.post(
        "/admin/surveys/invitation/",
        {"action": "withdraw_invitations", "_selected_action": [invitation.pk]},
    )
    assert Client().get(f"/enquetes/r/{token}/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            "/admin/surveys/invitation/",
            {"action": "renew_links", "_selected_action": [invitation.pk]},
        )
    new = link(mailoutbox[-1])
    assert token not in new
    assert Client().get(new).status_code == 200
    assert Client().get(f"/enquetes/r/{token}/").status_code == 404


def test_duplicating_a_survey_copies_its_questions_and_conditions(staff_client, survey):
    from surveys.models import Rule, Section

    adherents = Question.objects.get(section__survey=survey, code="adherents")
    contact = Section.objects.get(survey=survey, title="Contact")
    Rule.objects.create(section=contact, source=adherents, operator="gt", number=10)
    staff_client.post(
        "/admin/surveys/survey/", {"action": "duplicate_surveys", "_selected_action": [survey.pk]}
    )
    copy = Survey.objects.exclude(pk=survey.pk).get()
    assert copy.slug == "enquete-test-copie"
    assert copy.status == Survey.Status.DRAFT
    original = Question.objects.filter(section__survey=survey)
    copied = Question.objects.filter(section__survey=copy)
    assert copied.count() == original.count()
    story = copied.get(code="exemple")
    assert story.condition_choice.question.section.survey == copy
    assert story.condition_choice.label == "Oui"
    [rule] = Rule.objects.filter(section__survey=copy)
    assert rule.source == copied.get(code="adherents")
    assert (rule.operator, rule.number) == ("gt", 10)
    assert (
        Choice.objects.filter(question__section__survey=copy).count()
        == Choice.objects.filter(question__section__survey=survey).count()
    )


def test_changes_that_would_corrupt_answers_are_refused(
    staff_client, survey, invitation, questions
):
    _invitation, token = invitation
    question = questions["adherents"]
    url = f"/admin/surveys/question/{question.pk}/change/"

    def change(**fields):
        form = {
            "section": question.section_id, "code": question.code, "label": question.label,
            "help_text": "", "kind": question.kind, "position": question.position,
            "scale_min": 1, "scale_max": 5, "required": "on",
            "choices-TOTAL_FORMS": 0, "choices-INITIAL_FORMS": 0, "condition_mode": "all",
        "rows-TOTAL_FORMS": 0, "rows-INITIAL_FORMS": 0,
            "rules-TOTAL_FORMS": 0, "rules-INITIAL_FORMS": 0,
            **fields,
        }  # fmt: skip
        return staff_client.post(url, form)

    # Before any answer, the type can change.
    assert change(kind="decimal").status_code == 302
    Question.objects.filter(pk=question.pk).update(kind="integer")
    answer_everything(Client(), questions, f"/enquetes/r/{token}/")
    refused = change(kind="short_text")
    assert refused.status_code == 200
    assert "Des réponses existent déjà" in refused.content.decode()
    question.refresh_from_db()
    assert question.kind == "integer"
    # Rewording stays possible.
    assert change(label="Combien d'entreprises adhérentes ?").status_code == 302
    # Deleting a question, a section or the survey is no longer offered.
    assert (
        staff_client.post(
            f"/admin/surveys/question/{question.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert (
        staff_client.post(f"/admin/surveys/survey/{survey.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Section.objects.filter(survey=survey).count() == 3
    # A choice someone picked cannot be deleted.
    sectors = questions["secteurs"]
    picked = sectors.choices.get(label="Bois")
    form = {
        "section": sectors.section_id, "code": sectors.code, "label": sectors.label,
        "kind": "multiple", "position": sectors.position, "scale_min": 1, "scale_max": 5,
        "allow_other": "on", "min_choices": 2, "max_choices": 3,
        "choices-TOTAL_FORMS": 1, "choices-INITIAL_FORMS": 1, "condition_mode": "all",
        "rows-TOTAL_FORMS": 0, "rows-INITIAL_FORMS": 0,
        "rules-TOTAL_FORMS": 0, "rules-INITIAL_FORMS": 0,
        "choices-0-id": picked.pk, "choices-0-question": sectors.pk,
        "choices-0-label": picked.label, "choices-0-position": picked.position,
        "choices-0-DELETE": "on",
    }  # fmt: skip
    page = staff_client.post(f"/admin/surveys/question/{sectors.pk}/change/", form)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Des réponses existent déjà" in text  # why, in plain French
    assert "protégés suivants" not in text  # not Django's list of protected objects
    assert Choice.objects.filter(pk=picked.pk).exists()
    assert Response.objects.count() == 1


def test_a_condition_must_point_to_an_earlier_question(staff_client, survey, questions):
    first = questions["type"]
    later_choice = questions["cooperent"].choices.get(label="Oui")
    form = {
        "section": first.section_id, "code": first.code, "label": first.label,
        "kind": first.kind, "position": first.position, "scale_min": 1, "scale_max": 5,
        "condition_choice": later_choice.pk,
        "choices-TOTAL_FORMS": 0, "choices-INITIAL_FORMS": 0, "condition_mode": "all",
        "rows-TOTAL_FORMS": 0, "rows-INITIAL_FORMS": 0,
        "rules-TOTAL_FORMS": 0, "rules-INITIAL_FORMS": 0,
    }  # fmt: skip
    page = staff_client.post(f"/admin/surveys/question/{first.pk}/change/", form)
    assert page.status_code == 200
    assert "posée avant celle-ci" in page.content.decode()


def test_staff_tag_answers_and_see_the_survey_links_in_the_admin(staff_client, survey):
    page = staff_client.get("/admin/surveys/survey/")
    text = page.content.decode()
    assert f"/enquetes/{survey.slug}/apercu/" in text
    assert f"/enquetes/{survey.slug}/tableau-de-bord/" in text
    assert staff_client.get("/admin/surveys/answer/").status_code == 200
    assert staff_client.get("/admin/surveys/response/").status_code == 200


def test_a_survey_without_answers_is_deleted_with_its_conditions(survey, questions):
    from django.db.models import RestrictedError

    # A choice another question depends on cannot go alone…
    with pytest.raises(RestrictedError):
        questions["cooperent"].choices.get(label="Oui").delete()
    # …but the whole survey can.
    survey.delete()
    assert not Question.objects.exists()


def test_a_choice_a_condition_reads_is_not_deleted(staff_client, survey, questions):
    cooperent = questions["cooperent"]
    yes = cooperent.choices.get(label="Oui")
    form = {
        "section": cooperent.section_id, "code": cooperent.code, "label": cooperent.label,
        "kind": cooperent.kind, "position": cooperent.position, "scale_min": 1,
        "scale_max": 5, "required": "on", "condition_mode": "all",
        "choices-TOTAL_FORMS": 1, "choices-INITIAL_FORMS": 1,
        "rows-TOTAL_FORMS": 0, "rows-INITIAL_FORMS": 0,
        "rules-TOTAL_FORMS": 0, "rules-INITIAL_FORMS": 0,
        "choices-0-id": yes.pk, "choices-0-question": cooperent.pk,
        "choices-0-label": yes.label, "choices-0-position": yes.position,
        "choices-0-DELETE": "on",
    }  # fmt: skip
    page = staff_client.post(f"/admin/surveys/question/{cooperent.pk}/change/", form)
    assert page.status_code == 200
    assert "sert de condition à : exemple" in page.content.decode()
    assert Choice.objects.filter(pk=yes.pk).exists()
