"""Members propose practices, representatives edit their entry, staff moderate."""

import pytest
from django.core import mail

from clusters import services
from clusters.models import EntryChange, Membership, Practice
from tests.factories.clusters import entry_change_data as change_data
from tests.factories.clusters import practice_proposal_data as proposal

PROPOSE = "/pratiques/proposer/"


def test_anonymous_visitors_are_asked_to_sign_in(client, db):
    response = client.get(PROPOSE)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/compte/connexion/?next=")


def test_a_member_proposes_a_practice_that_waits_and_staff_are_told(
    client, member, staff_editor, directory, django_capture_on_commit_callbacks
):
    directory["metropole"]
    client.force_login(member)
    data = proposal(
        **{
            "partners-1-entry": str(directory["metropole"].pk),
            "partners-1-name": "Métropole de Lyon",
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PROPOSE, data)
    assert response.status_code == 302
    assert response.headers["Location"] == "/compte/"
    practice = Practice.objects.get(title="Légumerie partagée du Haut-Allier")
    assert practice.state == "proposed"
    assert practice.proposer == member
    partners = [(p.role, p.entry, p.name) for p in practice.partners.all()]
    # The lead typed without the autocomplete was still found by its exact name.
    assert partners[0] == ("lead", directory["pays"], "")
    assert ("partner", directory["metropole"], "") in partners
    assert [link.label for link in practice.links.all()] == ["Le site", "https://autre.exemple.fr"]
    assert [m.to for m in mail.outbox] == [[staff_editor.email]]
    assert "Légumerie partagée du Haut-Allier" in mail.outbox[0].subject
    assert "/admin/clusters/practice/" in mail.outbox[0].body
    # Mon espace shows it with its state; the public does not see it.
    dashboard = client.get("/compte/").content.decode()
    assert "Légumerie partagée du Haut-Allier" in dashboard
    assert "Proposée" in dashboard
    client.logout()
    assert client.get("/pratiques/").content.decode().count("Légumerie") == 0
    assert client.get(practice.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Ce champ est obligatoire."),
        ({"themes": []}, "Choisissez au moins un thème."),
        ({"title": "<b>Gras</b>"}, "Les balises HTML ne sont pas acceptées"),
        (
            {"start_year": "2020", "end_year": "2018"},
            "L&#x27;année de fin précède l&#x27;année de début.",
        ),
        ({"start_year": "1200"}, "supérieure ou égale à 1990"),
        ({"links": "pas-une-adresse"}, "n&#x27;est pas une adresse web valide"),
        ({"partners-0-name": "", "partners-1-name": ""}, "Indiquez au moins un partenaire"),
        ({"partners-0-role": "partner"}, "Indiquez quel partenaire est le chef de file."),
        ({"partners-1-role": "lead"}, "Un seul chef de file par pratique."),
        ({"summary": "x" * 700}, "au plus 600 caractères"),
    ],
)
def test_bad_proposals_get_french_messages_and_keep_what_was_typed(
    client, member, directory, overrides, message
):
    client.force_login(member)
    data = proposal(**overrides)
    response = client.post(PROPOSE, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    if "summary" not in overrides:
        assert "Une légumerie épluche les légumes" in html
    if data["partners-1-name"]:
        assert "Association des maraîchers" in html
    assert not Practice.objects.filter(title__contains="Légumerie").exists()


def test_staff_publish_and_the_author_is_told(
    member, directory, django_capture_on_commit_callbacks
):
    practice = directory["secret"]
    practice.proposer = member
    practice.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_publish(practice=practice)
    practice.refresh_from_db()
    assert practice.state == "published"
    assert practice.published_at is not None
    assert mail.outbox[-1].to == [member.email]
    assert "est publiée" in mail.outbox[-1].subject
    directory["bois"].refresh_from_db()
    assert directory["bois"].published_practice_count == 2


def test_staff_reject_with_a_reason_told_to_the_author(
    member, directory, django_capture_on_commit_callbacks
):
    practice = directory["secret"]
    practice.proposer = member
    practice.save()
    with pytest.raises(Exception, match="motif"):
        services.practice_reject(practice=practice, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_reject(practice=practice, reason="Déjà publiée sous un autre nom.")
    practice.refresh_from_db()
    assert practice.state == "rejected"
    assert "Déjà publiée sous un autre nom." in mail.outbox[-1].body


def test_autocomplete_finds_published_entries_whatever_the_accents(client, directory):
    response = client.get("/annuaire/autocompletion/?q=metropole")
    assert [r["name"] for r in response.json()["results"]] == ["Métropole de Lyon"]
    assert client.get("/annuaire/autocompletion/?q=cache").json()["results"] == []
    assert client.get("/annuaire/autocompletion/?q=" + "z" * 5000).status_code == 200


# --- Representatives edit their entry ----------------------------------------------------


@pytest.fixture
def rep_client(client, representative, directory):
    Membership.objects.create(user=representative, entry=directory["bois"])
    client.force_login(representative)
    return client


EDIT = "/annuaire/structures/pole-bois-montagne/modifier/"


def test_a_representative_proposes_changes_that_wait_for_staff(
    rep_client, client, directory, staff_editor, django_capture_on_commit_callbacks
):
    form = rep_client.get(EDIT)
    assert form.status_code == 200
    assert "Scieries et charpentiers du Livradois-Forez." in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = rep_client.post(EDIT, change_data())
    assert response.status_code == 302
    change = EntryChange.objects.get()
    assert change.status == "pending"
    assert mail.outbox[-1].to == [staff_editor.email]
    # The public page still shows the approved version.
    rep_client.logout()
    html = client.get("/annuaire/structures/pole-bois-montagne/").content.decode()
    assert "Scieries et charpentiers du Livradois-Forez." in html
    assert "Nouvelle présentation" not in html
    # A second change replaces the first one waiting.
    client.force_login(change.author)
    client.post(EDIT, change_data(description="Deuxième version."))
    assert EntryChange.objects.filter(status="pending").count() == 1
    assert EntryChange.objects.get().data["description"] == "Deuxième version."


def test_approval_applies_the_change_and_tells_the_author(
    rep_client, directory, staff_editor, representative, django_capture_on_commit_callbacks
):
    rep_client.post(EDIT, change_data())
    change = EntryChange.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_change_approve(change=change, reviewer=staff_editor)
    entry = directory["bois"]
    entry.refresh_from_db()
    assert entry.description == "Nouvelle présentation, relue par le bureau."
    assert sorted(entry.themes.values_list("slug", flat=True)) == ["bois-foret", "tourisme"]
    assert mail.outbox[-1].to == [representative.email]
    assert "sont publiées" in mail.outbox[-1].subject
    # The new words are searchable.
    from clusters.models import DirectoryEntry
    from core.search import search

    assert search(DirectoryEntry.objects.published(), "bureau").queryset.get() == entry
    with pytest.raises(Exception, match="déjà été traitée"):
        services.entry_change_approve(change=change, reviewer=staff_editor)


def test_rejection_keeps_the_entry_and_gives_the_reason(
    rep_client, directory, staff_editor, representative, django_capture_on_commit_callbacks
):
    rep_client.post(EDIT, change_data(name="Autre nom"))
    change = EntryChange.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_change_reject(change=change, reviewer=staff_editor, note="Nom non officiel.")
    directory["bois"].refresh_from_db()
    assert directory["bois"].name == "Pôle Bois Montagne"
    assert "Nom non officiel." in mail.outbox[-1].body


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Ce champ est obligatoire."),
        ({"website": "pas une adresse"}, "Saisissez une URL valide."),
        ({"email": "contact@"}, "Saisissez une adresse de courriel valide."),
        ({"name": "<img src=x onerror=alert(1)>"}, "Les balises HTML ne sont pas acceptées"),
        ({"themes": ["inconnu"]}, "Sélectionnez un choix valide."),
    ],
)
def test_bad_changes_get_french_messages(rep_client, overrides, message):
    response = rep_client.post(EDIT, change_data(**overrides))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert "Nouvelle présentation, relue par le bureau." in response.content.decode()
    assert not EntryChange.objects.exists()


def test_only_the_entrys_representatives_may_edit_it(client, directory, member, representative):
    assert client.get(EDIT).status_code == 302
    client.force_login(member)
    assert client.get(EDIT).status_code == 404
    assert client.post(EDIT, change_data()).status_code == 404
    Membership.objects.create(user=representative, entry=directory["labo"])
    client.force_login(representative)
    assert client.get(EDIT).status_code == 404
    assert (
        client.get(
            "/annuaire/structures/laboratoire-des-materiaux-biosources/modifier/"
        ).status_code
        == 200
    )
    Membership.objects.create(user=member, entry=directory["bois"], role="member")
    client.force_login(member)
    assert client.get(EDIT).status_code == 404
    assert not EntryChange.objects.exists()
