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
from mementos.models import Draft, Memento, Monograph, MonographReview
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


def test_an_editor_cannot_publish_but_a_publisher_can(
    staff_client, publisher, draft, django_capture_on_commit_callbacks
):
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
    # Editors send for review; those who publish are told.
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            "/admin/mementos/memento/", {"action": "mark_review", "_selected_action": [draft.pk]}
        )
    draft.refresh_from_db()
    assert draft.status == "review"
    assert mail.outbox[-1].to == [publisher.email]
    assert "Mémento en relecture" in mail.outbox[-1].subject

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


def test_an_editors_change_to_published_content_waits_for_a_publisher(
    staff_client, publisher, published, django_capture_on_commit_callbacks
):
    """Editing a published memento and a case study keeps the changes aside: the public
    pages keep what was published until a publisher publishes; publishers are told, and
    see a readable difference."""
    public_url = published.get_absolute_url()
    study = published.monographs.first()
    study_url = study.get_absolute_url()
    section = published.sections.first()
    url = f"/admin/mementos/memento/{published.pk}/change/"
    data = form_data(staff_client.get(url))
    data["subtitle"] = "Un sous-titre d'éditrice"
    prefix = next(k for k in data if k.endswith("-0-body")).removesuffix("-0-body")
    data[f"{prefix}-0-body"] = section.body + "\n\nUn paragraphe ajouté par l'éditrice."
    with django_capture_on_commit_callbacks(execute=True):
        saved = staff_client.post(url, data, follow=True)
    assert saved.status_code == 200
    assert "attend la relecture" in saved.content.decode()
    assert "Seules les personnes autorisées à publier" not in saved.content.decode()
    published.refresh_from_db()
    section.refresh_from_db()
    assert published.subtitle != "Un sous-titre d'éditrice"
    assert "Un paragraphe ajouté" not in section.body
    after_page = Client().get(public_url).content.decode()
    assert "Un sous-titre d&#x27;éditrice" not in after_page
    assert "Un paragraphe ajouté" not in after_page
    # The publishers are told.
    assert publisher.email in mail.outbox[-1].to
    assert "À relire avant publication" in mail.outbox[-1].subject
    draft = Draft.objects.get(memento=published, monograph=None)
    assert draft.status == "pending"
    assert set(draft.content["fields"]) == {"subtitle"}
    # The case study too: a second draft, its own.
    study_admin = f"/admin/mementos/monograph/{study.pk}/change/"
    data = form_data(staff_client.get(study_admin))
    data["summary"] = "Un résumé changé par l'éditrice."
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_client.post(study_admin, data).status_code == 302
    study.refresh_from_db()
    assert study.summary != "Un résumé changé par l'éditrice."
    assert "Un résumé changé" not in Client().get(study_url).content.decode()
    study_draft = Draft.objects.get(monograph=study)
    # The editor sees her change but may not publish it.
    review_url = f"/admin/mementos/draft/{draft.pk}/change/"
    mine = staff_client.get(review_url)
    assert mine.status_code == 200
    assert "Publier cette modification" not in mine.content.decode()
    assert staff_client.post(review_url, {"decision": "publish"}).status_code == 403
    # The publisher reads the difference, word by word, and publishes.
    client = Client()
    client.force_login(publisher)
    review = client.get(review_url).content.decode()
    assert "<ins>" in review
    assert "éditrice" in review
    assert "Un paragraphe ajouté par l&#x27;éditrice." in review
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(review_url, {"decision": "publish"}).status_code == 302
    assert "Un sous-titre d&#x27;éditrice" in Client().get(public_url).content.decode()
    assert "Un paragraphe ajouté" in Client().get(public_url).content.decode()
    assert mail.outbox[-1].to == ["editrice@exemple.fr"]
    assert "est publiée" in mail.outbox[-1].subject
    # Who proposed and who published is in the history.
    assert (
        "Modification proposée par Inès Lambert, publiée."
        in client.get(f"/admin/mementos/memento/{published.pk}/history/").content.decode()
    )
    # The case study's change is sent back with a note: nothing changes.
    study_review = f"/admin/mementos/draft/{study_draft.pk}/change/"
    refused = client.post(study_review, {"decision": "reject", "note": ""})
    assert refused.status_code == 400
    assert "Dites pourquoi" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(study_review, {"decision": "reject", "note": "Le chiffre est à vérifier."})
    assert "Le chiffre est à vérifier." in mail.outbox[-1].body
    assert "Un résumé changé" not in Client().get(study_url).content.decode()


def test_what_a_draft_cannot_carry_stays_with_publishers(staff_client, published):
    """Files, number and address of a published memento, and adding a case study to it."""
    refused = change(staff_client, published, slug="une-autre-adresse")
    assert refused.status_code == 200
    assert "son adresse et ses fichiers" in refused.content.decode()
    published.refresh_from_db()
    assert published.slug == "clusters-et-territoires"
    add = staff_client.get("/admin/mementos/monograph/add/")
    data = form_data(add)
    data.update(memento=published.pk, title="Nouvelle étude", slug="nouvelle-etude",
                summary="En bref.", position=9)  # fmt: skip
    refused = staff_client.post("/admin/mementos/monograph/add/", data)
    assert refused.status_code == 200
    assert "y ajouter une étude de cas" in refused.content.decode()
    assert not Monograph.objects.filter(slug="nouvelle-etude").exists()


def test_a_publisher_edits_published_content_directly(publisher, published):
    client = Client()
    client.force_login(publisher)
    assert change(client, published, subtitle="Un sous-titre validé").status_code == 302
    published.refresh_from_db()
    assert published.subtitle == "Un sous-titre validé"
    assert not Draft.objects.exists()


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


def test_the_history_shows_what_each_version_changed(publisher, staff_client, published):
    client = Client()
    client.force_login(publisher)
    change(client, published, subtitle="Première rédaction du sous-titre")
    change(client, published, subtitle="Seconde rédaction du sous-titre")
    history = client.get(f"/admin/mementos/memento/{published.pk}/history/").content.decode()
    links = re.findall(r'href="(/admin/mementos/memento/\d+/history/\d+/difference/)"', history)
    assert len(links) >= 2
    page = client.get(links[-1])  # the latest version, listed last
    assert page.status_code == 200
    text = page.content.decode()
    assert "Sous-titre" in text
    assert re.search(r"<del><span[^>]*>supprimé : </span>Première</del>", text)
    assert re.search(r"<ins><span[^>]*>ajouté : </span>Seconde</ins>", text)
    # Junk and other objects' versions: not found; no right to view: refused.
    other = Version.objects.exclude(object_id=str(published.pk)).first()
    for url in (
        f"/admin/mementos/memento/{published.pk}/history/999999/difference/",
        "/admin/mementos/memento/abc/history/1/difference/",
        *(
            [f"/admin/mementos/memento/{published.pk}/history/{other.pk}/difference/"]
            if other
            else []
        ),
    ):
        assert client.get(url).status_code == 404
    bare = Client()
    from tests.factories.accounts import UserFactory

    bare.force_login(UserFactory(is_staff=True))
    assert bare.get(links[-1]).status_code == 403
