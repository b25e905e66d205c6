"""Curating mementos in the admin: publishing rights, history, files, sign-off."""

import io
import re

import pytest
from django.core import mail
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile
from django.test import Client
from reversion.models import Version

from clusters.models import Membership
from mementos.models import Memento, Monograph, MonographReview
from tests.factories.files import pdf_bytes

pytestmark = pytest.mark.django_db


def form_data(page) -> dict:
    """The POST data of an admin change form as it was rendered: the main form and every
    inline formset with their management forms."""
    data = {}

    def add(form):
        for name, _field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False or isinstance(value, FieldFile | File):
                continue  # files are not sent again
            if value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            else:
                data[key] = str(value)

    add(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[formset.management_form.add_prefix(name)] = value
        for form in formset.forms:
            add(form)
    return data


def change(client, memento: Memento, **changes):
    url = f"/admin/mementos/memento/{memento.pk}/change/"
    data = form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def test_an_editor_cannot_publish_but_a_publisher_can(staff_client, publisher, draft):
    listing = staff_client.get("/admin/mementos/memento/").content.decode()
    assert "mark_published" not in listing  # the action is not offered
    assert "mark_review" in listing
    # Posting the action anyway does nothing.
    staff_client.post(
        "/admin/mementos/memento/",
        {"action": "mark_published", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == "draft"
    # Nor does changing the status in the form: « publié » is not even offered.
    form = staff_client.get(f"/admin/mementos/memento/{draft.pk}/change/")
    offered = [value for value, _label in form.context["adminform"].form.fields["status"].choices]
    assert "published" not in offered
    assert "archived" not in offered
    refused = change(staff_client, draft, status="published")
    assert refused.status_code == 200
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert draft.published_at is None
    # Editors send for review.
    staff_client.post(
        "/admin/mementos/memento/", {"action": "mark_review", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.status == "review"

    client = Client()
    client.force_login(publisher)
    assert "mark_published" in client.get("/admin/mementos/memento/").content.decode()
    client.post(
        "/admin/mementos/memento/",
        {"action": "mark_published", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == "published"
    assert draft.published_at is not None
    assert Client().get(f"/mementos/{draft.slug}/").status_code == 200
    # Once published, an editor cannot take it back either.
    refused = change(staff_client, draft, status="draft")
    assert "Seules les personnes autorisées à publier" in refused.content.decode()
    assert change(client, draft, status="archived").status_code == 302
    assert Client().get(f"/mementos/{draft.slug}/").status_code == 404


def test_every_saved_version_is_kept_and_an_old_one_can_be_restored(staff_client, draft):
    assert change(staff_client, draft, title="Premier titre").status_code == 302
    data = {"title": "Second titre", "sections-0-title": "Partie réécrite"}
    assert change(staff_client, draft, **data).status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Second titre"
    versions = Version.objects.get_for_object(draft)
    assert versions.count() == 2
    assert versions[0].revision.user.email == "editrice@exemple.fr"
    history = staff_client.get(f"/admin/mementos/memento/{draft.pk}/history/").content.decode()
    assert "Inès Lambert" in history or "editrice@exemple.fr" in history
    # Restore the first version: the title and the section come back.
    first = versions[1]
    url = f"/admin/mementos/memento/{draft.pk}/history/{first.pk}/"
    page = staff_client.get(url)
    assert page.status_code == 200
    assert staff_client.post(url, form_data(page)).status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Premier titre"
    assert draft.sections.order_by("position").first().title == "Partie 1"


def test_a_fake_or_heavy_pdf_is_refused_and_a_real_one_kept(staff_client, draft):
    fake = SimpleUploadedFile("memento.pdf", b"<html>pas un pdf</html>", "application/pdf")
    page = change(staff_client, draft, pdf=fake)
    assert "Ce fichier n&#x27;est pas un PDF" in page.content.decode()
    heavy = SimpleUploadedFile(
        "lourd.pdf", b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024), "application/pdf"
    )
    page = change(staff_client, draft, pdf=heavy)
    assert "Le fichier pèse 20,1 Mo : 20 Mo au plus." in page.content.decode()
    draft.refresh_from_db()
    assert not draft.pdf
    real = SimpleUploadedFile("vrai.pdf", pdf_bytes(), "application/pdf")
    assert change(staff_client, draft, pdf=real).status_code == 302
    draft.refresh_from_db()
    assert draft.pdf_size == len(pdf_bytes())
    assert draft.pdf.name.endswith(".pdf")
    assert "vrai" not in draft.pdf.name  # stored under an unguessable name


def test_the_cover_is_checked_and_resized(staff_client, draft):
    from PIL import Image

    not_an_image = SimpleUploadedFile("c.png", b"pas une image", "image/png")
    page = change(staff_client, draft, cover=not_an_image, cover_alt="Une couverture")
    assert "Téléversez une image valide." in page.content.decode()
    buffer = io.BytesIO()
    Image.new("RGBA", (3200, 2000), (20, 90, 70, 255)).save(buffer, format="PNG")
    big = SimpleUploadedFile("grande.png", buffer.getvalue(), "image/png")
    missing_alt = change(staff_client, draft, cover=big)
    assert "Décrivez la couverture" in missing_alt.content.decode()
    big.seek(0)
    assert change(staff_client, draft, cover=big, cover_alt="Une couverture").status_code == 302
    draft.refresh_from_db()
    with Image.open(draft.cover.open("rb")) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) == 1600


def test_a_case_study_is_signed_off_by_the_structure_it_describes(
    staff_client,
    publisher,
    draft,
    representative,
    outsider,
    directory,
    django_capture_on_commit_callbacks,
):
    monograph = draft.monographs.get()
    # Without a representative, staff are told so.
    page = staff_client.post(
        "/admin/mementos/monograph/",
        {"action": "request_sign_off", "_selected_action": [monograph.pk]},
        follow=True,
    )
    assert "n&#x27;a pas de représentant" in page.content.decode()
    Membership.objects.create(
        user=representative, entry=directory["pays"], role=Membership.Role.REPRESENTATIVE
    )
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            "/admin/mementos/monograph/",
            {"action": "request_sign_off", "_selected_action": [monograph.pk]},
        )
    monograph.refresh_from_db()
    assert monograph.sign_off == "requested"
    assert mail.outbox[-1].to == [representative.email]
    link = re.search(r"http\S+/mementos/relecture/\d+/", mail.outbox[-1].body).group(0)

    client = Client()
    client.force_login(representative)
    dashboard = client.get("/compte/").content.decode()
    assert "Monographies à relire" in dashboard
    review_url = (
        link.split("testserver")[-1] if "testserver" in link else link[link.index("/mementos") :]
    )
    page = client.get(review_url)
    assert page.status_code == 200
    assert "Une économie <strong>agricole</strong>" in page.content.decode()  # draft content
    # Asking for changes needs a comment.
    assert client.post(review_url, {"decision": "commented"}).status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            review_url, {"decision": "commented", "comment": "Le chiffre d'emplois a changé."}
        )
    assert done.status_code == 302
    monograph.refresh_from_db()
    assert monograph.sign_off == "commented"
    assert publisher.email in mail.outbox[-1].to
    assert "Le chiffre d'emplois a changé." in mail.outbox[-1].body
    # The staff see the state and the comment before publishing.
    admin_page = staff_client.get(f"/admin/mementos/monograph/{monograph.pk}/change/")
    assert "Le chiffre d&#x27;emplois a changé." in admin_page.content.decode()
    client.post(review_url, {"decision": "approved"})
    monograph.refresh_from_db()
    assert monograph.sign_off == "approved"
    assert MonographReview.objects.filter(monograph=monograph).count() == 2
    # Their reviews are in the data they can download.
    mine = client.get("/compte/mes-donnees.json").json()["avis_sur_des_monographies"]
    assert {review["commentaire"] for review in mine} == {"Le chiffre d'emplois a changé.", ""}
    # Nobody else reaches it.
    other = Client()
    other.force_login(outsider)
    assert other.get(review_url).status_code == 404
    assert Client().get(review_url)["Location"].startswith("/compte/connexion/")


def test_a_case_study_not_sent_for_sign_off_is_not_open_to_review(draft, representative, directory):
    Membership.objects.create(
        user=representative, entry=directory["pays"], role=Membership.Role.REPRESENTATIVE
    )
    client = Client()
    client.force_login(representative)
    monograph = Monograph.objects.get(memento=draft)
    assert client.get(f"/mementos/relecture/{monograph.pk}/").status_code == 404


def test_only_staff_reach_the_mementos_admin(client, member):
    client.force_login(member)
    assert client.get("/admin/mementos/memento/").status_code == 302


def test_an_editor_cannot_change_a_published_memento_nor_its_case_studies(
    staff_client, publisher, published
):
    """Their change would be live at once: the page keeps what was published."""
    refused = change(staff_client, published, subtitle="Un sous-titre d'éditeur")
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "Ce mémento est publié" in text
    assert "Seules les personnes autorisées à publier" not in text  # no status was touched
    published.refresh_from_db()
    assert published.subtitle != "Un sous-titre d'éditeur"
    study = published.monographs.first()
    url = f"/admin/mementos/monograph/{study.pk}/change/"
    page = staff_client.get(url)
    data = form_data(page)
    data["summary"] = "Un résumé changé par un éditeur."
    refused = staff_client.post(url, data)
    assert refused.status_code == 200
    assert "Ce mémento est publié" in refused.content.decode()
    study.refresh_from_db()
    assert study.summary != "Un résumé changé par un éditeur."
    # Those allowed to publish can.
    client = Client()
    client.force_login(publisher)
    assert change(client, published, subtitle="Un sous-titre validé").status_code == 302
    published.refresh_from_db()
    assert published.subtitle == "Un sous-titre validé"


def test_a_memento_without_a_section_is_not_published_from_its_form(publisher, draft, client):
    from mementos.models import Section

    Section.objects.filter(memento=draft).delete()
    client.force_login(publisher)
    refused = change(client, draft, status="published")
    assert refused.status_code == 200
    assert "au moins une section" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_atom_feed_always_names_an_author(client, published):
    published.lead_partners.clear()
    feed = client.get("/mementos/flux.atom").content.decode()
    assert "<name>Interclusters</name>" in feed


def test_a_comment_with_html_is_told_why_once():
    from mementos.forms import ReviewForm

    form = ReviewForm({"decision": "commented", "comment": "<b>Changez</b> le titre"})
    assert not form.is_valid()
    assert form.errors["comment"] == ["Les balises HTML ne sont pas acceptées dans ce champ."]


def test_sign_off_times_show_in_paris_time(staff_client, published, representative):
    from datetime import UTC, datetime

    study = published.monographs.first()
    review = MonographReview.objects.create(
        monograph=study, user=representative, decision="approved", comment=""
    )
    MonographReview.objects.filter(pk=review.pk).update(
        created_at=datetime(2026, 7, 1, 22, 30, tzinfo=UTC)
    )
    page = staff_client.get(f"/admin/mementos/monograph/{study.pk}/change/").content.decode()
    assert "02/07/2026 00:30" in page
