"""The back office: curation lists, moderation, imports with a preview."""

from django.core import mail
from django.utils.html import escape

from clusters.models import DirectoryEntry, Practice


def test_staff_reach_the_directory_lists_and_the_moderation_queue(staff_client, directory):
    for url in [
        "/admin/clusters/organisation/",
        "/admin/clusters/territory/",
        "/admin/clusters/practice/",
        "/admin/clusters/entrychange/",
        "/admin/clusters/organisation/?q=bois",
        f"/admin/clusters/organisation/{directory['bois'].pk}/change/",
        f"/admin/clusters/practice/{directory['wood'].pk}/change/",
    ]:
        assert staff_client.get(url).status_code == 200, url
    queue = staff_client.get("/admin/clusters/practicetoreview/").content.decode()
    assert "Projet secret de scierie mobile" in queue
    assert "Circuits courts agroalimentaires" not in queue
    territories = staff_client.get("/admin/clusters/territory/").content.decode()
    assert "Métropole de Lyon" in territories
    assert "Pôle Bois Montagne" not in territories


def test_members_and_anonymous_never_reach_the_back_office(client, member, directory):
    for url in ["/admin/clusters/practice/", "/admin/clusters/organisation/importer/"]:
        assert client.get(url).status_code == 302
        client.force_login(member)
        assert client.get(url).status_code == 302
        client.logout()


def test_publish_button_publishes_and_tells_the_author(
    staff_client, directory, member, django_capture_on_commit_callbacks
):
    practice = directory["secret"]
    practice.proposer = member
    practice.save()
    url = f"/admin/clusters/practice/{practice.pk}/publier/"
    assert staff_client.get(url).status_code == 302  # a GET changes nothing
    assert Practice.objects.get(pk=practice.pk).state == "proposed"
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url)
    assert response.status_code == 302
    assert Practice.objects.get(pk=practice.pk).state == "published"
    assert mail.outbox[-1].to == [member.email]


def test_refusal_needs_a_reason_which_the_author_receives(
    staff_client, directory, member, django_capture_on_commit_callbacks
):
    practice = directory["secret"]
    practice.proposer = member
    practice.save()
    url = f"/admin/clusters/practice/{practice.pk}/refuser/"
    assert "Motif, envoyé par e-mail" in staff_client.get(url).content.decode()
    response = staff_client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert escape("Indiquez le motif : il est envoyé à l'auteur.") in response.content.decode()
    assert 'name="action"' not in response.content.decode()  # it posts back to itself
    assert Practice.objects.get(pk=practice.pk).state == "proposed"
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {"reason": "Hors du champ du programme."})
    assert Practice.objects.get(pk=practice.pk).state == "rejected"
    assert "Hors du champ du programme." in mail.outbox[-1].body


def test_bulk_publish_action(staff_client, directory, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/admin/clusters/practicetoreview/",
            {"action": "publish_practices", "_selected_action": [directory["secret"].pk]},
        )
    assert response.status_code == 302
    assert Practice.objects.get(pk=directory["secret"].pk).state == "published"


def test_admin_edit_keeps_derived_fields_up_to_date(staff_client, directory, places):
    entry = directory["labo"]
    response = staff_client.post(
        f"/admin/clusters/organisation/{entry.pk}/change/",
        {
            "name": "Laboratoire des matériaux biosourcés",
            "acronym": "",
            "slug": entry.slug,
            "kind": "research",
            "published": "on",
            "description": "Recherche sur la paille de construction.",
            "themes": [t.pk for t in entry.themes.all()],
            "website": "",
            "email": "",
            "phone": "",
            "address": "",
            "commune": places["saint_flour"].pk,
            "setting": "urban",
            "latitude": "",
            "longitude": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry.refresh_from_db()
    assert entry.department.code == "15"
    assert entry.latitude == places["saint_flour"].latitude
    from core.search import search

    assert search(DirectoryEntry.objects.published(), "paille").queryset.get() == entry
