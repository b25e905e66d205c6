"""A person downloads and deletes their data; the programme's statistics stay."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.test import Client

from clusters.models import Membership, Practice
from events.models import Event, Registration
from interclusters.models import User
from surveys import services as survey_services
from surveys.models import Response
from tests.factories.clusters import make_practice
from tests.factories.events import make_event, register
from tests.factories.surveys import definition

pytestmark = pytest.mark.django_db


def test_a_member_deletes_their_account_and_the_statistics_stay(
    client, representative, outsider, password, directory, mailoutbox
):
    Membership.objects.create(
        user=representative, entry=directory["bois"], role=Membership.Role.REPRESENTATIVE
    )
    upcoming = make_event("Journée à venir", workshops=(("Atelier", 1),))
    workshop = upcoming.workshops.get()
    mine = register(upcoming, user=representative, workshops=[workshop], notify=False)
    waiting = register(upcoming, user=outsider, workshops=[workshop], notify=False)
    assert waiting.registration.choices.get().status == "waitlisted"
    past = make_event("Journée passée", days_ahead=5, workshops=(("Atelier passé", 5),))
    register(past, user=representative, workshops=[past.workshops.get()], notify=False)
    Event.objects.filter(pk=past.pk).update(
        starts_at=F("starts_at") - timedelta(days=40), ends_at=F("ends_at") - timedelta(days=40)
    )
    make_practice("Pratique en relecture", lead=directory["bois"], state="proposed",
                  proposer=representative)  # fmt: skip
    survey, _ = survey_services.survey_load(definition())
    response = survey_services.response_open(
        survey=survey, entry=directory["bois"], user=representative
    )
    response.status = "submitted"
    response.save()

    client.force_login(representative)
    assert "Supprimer mon compte" in client.get("/compte/").content.decode()
    # The password is asked again first.
    asked = client.post("/compte/supprimer/", {"confirm": "on"})
    assert asked["Location"].startswith("/compte/reauthenticate/")
    assert User.objects.filter(email=representative.email).exists()
    wrong = client.post("/compte/reauthenticate/", {"password": "faux"})
    assert wrong.status_code == 422
    assert client.post("/compte/reauthenticate/", {"password": password}).status_code == 302
    unconfirmed = client.post("/compte/supprimer/", {})
    assert unconfirmed.status_code == 422
    done = client.post("/compte/supprimer/", {"confirm": "on"})
    assert done["Location"] == "/"
    assert not User.objects.filter(email=representative.email).exists()
    assert "Votre compte est supprimé" in client.get("/").content.decode()
    assert client.get("/compte/")["Location"].startswith("/compte/connexion/")

    # The seat went to the person waiting; the registrations lost the name.
    mine.registration.refresh_from_db()
    assert mine.registration.status == "cancelled"
    assert waiting.registration.choices.get().status == "confirmed"
    assert not Registration.objects.filter(email=representative.email).exists()
    assert Registration.objects.filter(event=past, status="confirmed").count() == 1
    # Pending contributions go; the structure's survey response stays, nameless.
    assert not Practice.objects.filter(title="Pratique en relecture").exists()
    response.refresh_from_db()
    assert response.user is None
    assert Response.objects.filter(status="submitted").count() == 1
    assert not Membership.objects.filter(entry=directory["bois"]).exists()


def test_the_privacy_page_says_what_is_kept_and_links_the_tools(client):
    text = client.get("/donnees-personnelles/").content.decode()
    assert "12 mois après l'événement" in text
    assert "/compte/mes-donnees.json" in text
    assert "/compte/supprimer/" in text


def test_deleting_needs_to_be_signed_in(db):
    assert Client().get("/compte/supprimer/")["Location"].startswith("/compte/connexion/")
