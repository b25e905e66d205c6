"""Registrations: capacity, waitlists, promotion, limits, edits, cancellation, access."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from events import services
from events.models import Registration, WorkshopChoice
from tests.factories.accounts import UserFactory
from tests.factories.events import make_event, register, register_data


def statuses(workshop) -> list[tuple[str, str, int | None]]:
    return list(
        WorkshopChoice.objects.filter(workshop=workshop)
        .order_by("created_at")
        .values_list("registration__full_name", "status", "waitlist_position")
    )


def test_seats_are_confirmed_then_people_wait_in_order(db, django_capture_on_commit_callbacks):
    event = make_event(workshops=(("Atelier bois", 2),))
    workshop = event.workshops.get()
    with django_capture_on_commit_callbacks(execute=True):
        for name in ["Anne A", "Bruno B", "Chloé C", "David D"]:
            register(event, name=name, workshops=[workshop])
    assert statuses(workshop) == [
        ("Anne A", "confirmed", None),
        ("Bruno B", "confirmed", None),
        ("Chloé C", "waitlisted", 1),
        ("David D", "waitlisted", 2),
    ]
    subjects = [m.subject for m in mail.outbox]
    assert subjects[0].startswith("Inscription confirmée")
    # Registered to the event, but waiting for the workshop: the subject says so, and the rank.
    assert subjects[2] == "Liste d'attente (rang 1) pour « Atelier bois » : Journée des ateliers"
    assert subjects[3] == "Liste d'attente (rang 2) pour « Atelier bois » : Journée des ateliers"
    assert "liste d'attente, rang 2" in mail.outbox[3].body
    assert not any("confirmée" in s for s in subjects[2:])
    assert "liste d'attente" in mail.outbox[2].body
    assert mail.outbox[0].attachments[0][0] == "evenement.ics"


def test_cancelling_promotes_the_first_waiting_in_the_same_transaction(
    db, django_capture_on_commit_callbacks
):
    event = make_event(workshops=(("Atelier bois", 1),))
    workshop = event.workshops.get()
    first = register(event, name="Anne A", workshops=[workshop]).registration
    register(event, name="Bruno B", workshops=[workshop])
    register(event, name="Chloé C", workshops=[workshop])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first)
    assert statuses(workshop) == [
        ("Anne A", "cancelled", None),
        ("Bruno B", "confirmed", None),
        ("Chloé C", "waitlisted", 2),
    ]
    promoted = next(m for m in mail.outbox if "Une place s'est libérée" in m.subject)
    assert promoted.to == ["bruno.b@exemple.fr"]
    assert promoted.attachments
    assert any(m.subject.startswith("Inscription annulée") for m in mail.outbox)


def test_registering_again_edits_the_registration(db, member):
    event = make_event(workshops=(("Atelier bois", 5), ("Atelier énergie", 5)))
    bois, energie = event.workshops.order_by("starts_at")
    register(event, user=member, workshops=[bois])
    outcome = register(event, user=member, workshops=[energie])
    assert not outcome.created
    assert Registration.objects.filter(event=event, user=member).count() == 1
    assert statuses(bois) == [(outcome.registration.full_name, "cancelled", None)]
    assert statuses(energie) == [(outcome.registration.full_name, "confirmed", None)]


def test_two_workshops_in_one_slot_are_refused(db):
    event = make_event(workshops=(("Atelier A", 5), ("Atelier B", 5)), same_slot=True)
    with pytest.raises(ValidationError, match="en même temps"):
        register(event, workshops=list(event.workshops.all()))
    assert not Registration.objects.exists()


def test_a_limit_per_structure_is_kept(db):
    event = make_event(max_per_structure=2)
    register(event, name="Anne A", structure_name="Pays du Haut-Jura")
    register(event, name="Bruno B", structure_name="pays du haut-jura")
    with pytest.raises(ValidationError, match="déjà 2 inscrits"):
        register(event, name="Chloé C", structure_name="Pays du Haut-Jura")
    register(event, name="David D", structure_name="Autre structure")


def test_an_event_without_workshops_has_its_own_waitlist(db, django_capture_on_commit_callbacks):
    event = make_event(kind="webinar", workshops=(), capacity=1)
    first = register(event, name="Anne A").registration
    second = register(event, name="Bruno B").registration
    assert (first.status, second.status, second.waitlist_position) == ("confirmed", "waitlisted", 1)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first)
    second.refresh_from_db()
    assert second.status == "confirmed"


def test_closed_or_past_events_take_no_registration(db):
    closed = make_event("Fermé", registrations_closed=True)
    past = make_event("Passé", days_ahead=-10)
    for event in (closed, past):
        with pytest.raises(ValidationError, match="fermées"):
            register(event)


def test_staff_move_someone_and_the_seat_left_goes_to_the_first_waiting(db):
    event = make_event(workshops=(("Atelier A", 1), ("Atelier B", 5)))
    a, b = event.workshops.order_by("starts_at")
    moved = register(event, name="Anne A", workshops=[a]).registration
    register(event, name="Bruno B", workshops=[a])
    services.registration_move(registration=moved, source=a, target=b)
    assert statuses(a) == [("Bruno B", "confirmed", None)]
    assert statuses(b) == [("Anne A", "confirmed", None)]


# --- Pages -----------------------------------------------------------------------------


def test_anonymous_visitors_are_asked_to_sign_in(client, db):
    event = make_event()
    response = client.get(f"/agenda/{event.slug}/inscription/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/compte/connexion/")


def test_the_form_is_prefilled_and_registration_shows_on_the_event_and_in_mon_espace(
    member_client, member, django_capture_on_commit_callbacks
):
    member.organisation_name = "PETR du Livradois-Forez"
    member.save()
    event = make_event(workshops=(("Atelier bois", 12),))
    html = member_client.get(f"/agenda/{event.slug}/inscription/").content.decode()
    assert 'value="Marie Durand"' in html
    assert 'value="PETR du Livradois-Forez"' in html
    assert "12 places restantes" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(f"/agenda/{event.slug}/inscription/", register_data(event))
    assert response.status_code == 302
    registration = Registration.objects.get(user=member)
    assert registration.dietary_needs == "végétarien"
    assert mail.outbox[-1].to == ["membre@exemple.fr"]
    page = member_client.get(event.get_absolute_url()).content.decode()
    assert "Vous êtes inscrit." in page
    assert "11 places restantes" in page
    dashboard = member_client.get("/compte/").content.decode()
    assert event.title in dashboard
    assert "place confirmée" in dashboard


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"consent": ""}, "Votre accord est nécessaire pour vous inscrire."),
        ({"email": "pas-une-adresse"}, "Saisissez une adresse de courriel valide."),
        ({"full_name": ""}, "Ce champ est obligatoire."),
        ({"full_name": "<b>x</b>"}, "Les balises HTML ne sont pas acceptées"),
        ({"slot_1": "999999"}, "Sélectionnez un choix valide."),
    ],
)
def test_bad_registrations_get_french_messages_and_keep_what_was_typed(
    member_client, overrides, message
):
    event = make_event()
    response = member_client.post(
        f"/agenda/{event.slug}/inscription/", register_data(event, **overrides)
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert 'value="PETR du Livradois-Forez"' in html
    assert not Registration.objects.exists()


def test_a_full_limit_per_structure_is_said_on_the_form(member_client, db):
    event = make_event(max_per_structure=1)
    register(event, name="Anne A", structure_name="PETR du Livradois-Forez")
    response = member_client.post(f"/agenda/{event.slug}/inscription/", register_data(event))
    assert response.status_code == 422
    assert "Votre structure a déjà 1 inscrits" in response.content.decode()


def test_cancelling_from_mon_espace_is_limited_to_ones_own(client, member, outsider):
    event = make_event()
    mine = register(event, user=member).registration
    theirs = register(event, user=outsider).registration
    client.force_login(member)
    assert client.post(f"/agenda/mes-inscriptions/{theirs.pk}/annuler/").status_code == 404
    assert client.get(f"/agenda/mes-inscriptions/{mine.pk}/annuler/").status_code == 405
    assert client.post(f"/agenda/mes-inscriptions/{mine.pk}/annuler/").status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == ("cancelled", "confirmed")


def test_the_link_in_the_email_lets_one_cancel_without_signing_in(client, db):
    event = make_event()
    registration = register(event, name="Anne A").registration
    url = f"/agenda/inscription/{registration.token}/"
    response = client.get(url)
    assert response.status_code == 200
    assert "Annuler mon inscription" in response.content.decode()
    assert client.post(url + "annuler/").status_code == 302
    registration.refresh_from_db()
    assert registration.status == "cancelled"


@pytest.mark.parametrize(
    "mutate",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
        lambda t: "x" * 43,
        lambda t: t + "a",
        lambda t: "z" * 500,
    ],
)
def test_altered_or_unknown_tokens_give_404(client, db, mutate):
    event = make_event()
    registration = register(event).registration
    token = mutate(registration.token)
    assert client.get(f"/agenda/inscription/{token}/").status_code == 404
    assert client.post(f"/agenda/inscription/{token}/annuler/").status_code == 404
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_tokens_are_long_random_secrets(db):
    event = make_event()
    tokens = {register(event, name=f"Personne {n}").registration.token for n in range(20)}
    assert len(tokens) == 20
    assert all(len(token) >= 43 for token in tokens)  # 256 bits in base64


def test_agenda_and_event_pages_run_a_fixed_number_of_queries(
    client, db, django_assert_num_queries
):
    event = make_event(workshops=(("Atelier A", 10), ("Atelier B", 10)))
    make_event("Passé", days_ahead=-40)
    client.get("/agenda/")  # warms the cached demo banner and place choices
    # Those to come with their seats, the latest past ones; themes and places are kept.
    with django_assert_num_queries(2) as agenda:
        client.get("/agenda/")
    with django_assert_num_queries(6) as detail:
        client.get(event.get_absolute_url())
    for n in range(6):
        make_event(f"Autre {n}", workshops=(("X", 5), ("Y", 5)))
    for n in range(30):
        register(event, name=f"Personne {n}", workshops=list(event.workshops.all()), notify=False)
    bigger = make_event("Grand", workshops=tuple((f"Atelier {n}", 20) for n in range(8)))
    with django_assert_num_queries(len(agenda.captured_queries)):
        client.get("/agenda/")
    with django_assert_num_queries(len(detail.captured_queries)):
        client.get(bigger.get_absolute_url())
    assert len(detail.captured_queries) <= 12


def test_unpublished_events_are_hidden_from_the_public(client, staff_editor):
    event = make_event(published=False)
    assert client.get(event.get_absolute_url()).status_code == 404
    assert event.title not in client.get("/agenda/").content.decode()
    assert client.get(f"/agenda/{event.slug}.ics").status_code == 404
    client.force_login(staff_editor)
    assert client.get(event.get_absolute_url()).status_code == 200


def test_bad_agenda_filters_give_a_400_page(client, db):
    make_event()
    assert client.get("/agenda/?region=zz").status_code == 400
    assert client.get("/agenda/?type=webinar&type=seminar").status_code == 200


def test_another_user_cannot_be_registered_on_ones_behalf(member_client, member, outsider):
    event = make_event()
    member_client.post(
        f"/agenda/{event.slug}/inscription/", register_data(event, email=outsider.email)
    )
    registration = Registration.objects.get()
    assert registration.user == member
    assert UserFactory._meta.model.objects.get(pk=outsider.pk).registrations.count() == 0
