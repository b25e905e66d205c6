"""Writes of the mementos: publication workflow, search index, sign-off by the structures a
case study describes. Every change goes into a django-reversion revision (who, when)."""

import reversion
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import Membership
from core.mail import absolute_url, emails_enqueue, staff_recipients
from core.search import document_vector, vocabulary_add
from core.text import render_markdown
from mementos.models import Draft, Memento, Monograph, MonographReview, Section

PUBLISH_PERMISSION = "mementos.publish_memento"


def can_publish(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(PUBLISH_PERMISSION))


def check_status_change(*, user, old: str | None, new: str) -> None:
    """Editors write, plan and send for review; only those allowed to publish may publish,
    unpublish or archive."""
    touches_publication = new != old and (new in Memento.PUBLISHING or old in Memento.PUBLISHING)
    if touches_publication and not can_publish(user):
        raise PermissionDenied(
            _("Seules les personnes autorisées à publier peuvent publier, dépublier ou archiver.")
        )


def statuses_for(user, current: str | None) -> list[tuple[str, str]]:
    """The statuses a person may give a memento: editors never see « publié » or
    « archivé » (unless it is the current one, which they keep)."""
    if can_publish(user):
        return list(Memento.Status.choices)
    return [
        (value, label)
        for value, label in Memento.Status.choices
        if value not in Memento.PUBLISHING or value == current
    ]


@transaction.atomic
def memento_set_status(*, memento: Memento, status: str, user) -> Memento:
    """Move a memento through its workflow. Publishing sets the publication date the first
    time; every change is a revision."""
    memento = Memento.objects.select_for_update().get(pk=memento.pk)
    check_status_change(user=user, old=memento.status, new=status)
    if status == memento.status:
        return memento
    if status == Memento.Status.PUBLISHED and not memento.sections.exists():
        raise ValidationError(_("Un mémento sans section ne peut pas être publié."))
    with reversion.create_revision():
        memento.status = status
        if status == Memento.Status.PUBLISHED and memento.published_at is None:
            memento.published_at = timezone.now()
        memento.save(update_fields=["status", "published_at", "updated_at"])
        reversion.set_user(user)
        reversion.set_comment(_("État : %(status)s.") % {"status": memento.get_status_display()})
    memento_index(memento)
    if status == Memento.Status.REVIEW:
        # Those who publish are told that it waits for them.
        emails_enqueue(
            template="memento_review_staff",
            context={
                "memento": memento,
                "author": user,
                "url": absolute_url(reverse("admin:mementos_memento_change", args=[memento.pk])),
            },
            to=staff_recipients(PUBLISH_PERMISSION),
            topic=f"memento-review:{memento.pk}:{memento.updated_at.timestamp()}",
        )
    return memento


@transaction.atomic
def memento_save(*, memento: Memento, pdf_changed: bool = False) -> Memento:
    """Save a memento as staff edit it: the PDF's size is kept for the page, and a memento
    published for the first time gets its publication date."""
    if pdf_changed:
        memento.pdf_size = memento.pdf.size if memento.pdf else None
    if memento.status == Memento.Status.PUBLISHED and memento.published_at is None:
        memento.published_at = timezone.now()
    memento.save()
    return memento


def _plain(markdown_text: str) -> str:
    """The words of a Markdown text, for the search index."""
    from django.utils.html import strip_tags

    return strip_tags(str(render_markdown(markdown_text)))


def memento_index(memento: Memento) -> None:
    """Rebuild the search vectors of a memento and of its monographs; published words feed
    the vocabulary that corrects typos."""
    sections = list(memento.sections.values_list("title", "body"))
    partners = " ".join(memento.lead_partners.values_list("name", flat=True))
    themes = " ".join(memento.themes.values_list("name", flat=True))
    section_text = " ".join(f"{title} {_plain(body)}" for title, body in sections)
    Memento.objects.filter(pk=memento.pk).update(
        search_vector=document_vector(
            (f"{memento.title} {memento.subtitle}", "A"),
            (f"{_plain(memento.summary)} {memento.key_questions} {themes}", "B"),
            (partners, "C"),
            (section_text, "D"),
        )
    )
    words = [memento.title, memento.subtitle, themes, partners, section_text]
    for monograph in memento.monographs.select_related("entry"):
        body = " ".join(
            _plain(getattr(monograph, name))
            for name in ("context", "actions", "results", "success_factors", "pitfalls")
        )
        entry = monograph.entry.name if monograph.entry_id else ""
        Monograph.objects.filter(pk=monograph.pk).update(
            search_vector=document_vector(
                (monograph.title, "A"),
                (f"{monograph.summary} {entry}", "B"),
                (body, "D"),
            )
        )
        words += [monograph.title, monograph.summary, entry, body]
    if memento.is_public:
        vocabulary_add(words)


# --- Sign-off by the structure a case study describes ------------------------------------------


def representatives(monograph: Monograph):
    User = get_user_model()
    if not monograph.entry_id:
        return User.objects.none()
    return User.objects.filter(
        memberships__entry_id=monograph.entry_id,
        memberships__role=Membership.Role.REPRESENTATIVE,
        is_active=True,
    ).distinct()


@transaction.atomic
def sign_off_request(*, monograph: Monograph, user, notify: bool = True) -> int:
    """Ask the described structure's representatives to approve the case study or comment
    on it, from Mon espace. Returns how many people were asked."""
    people = list(representatives(monograph).values_list("email", flat=True))
    if not people:
        raise ValidationError(
            _("« %(title)s » : la structure décrite n'a pas de représentant sur le portail.")
            % {"title": monograph.title}
        )
    with reversion.create_revision():
        monograph.sign_off = Monograph.SignOff.REQUESTED
        monograph.sign_off_requested_at = timezone.now()
        monograph.save(update_fields=["sign_off", "sign_off_requested_at"])
        reversion.set_user(user)
        reversion.set_comment(_("Validation demandée à la structure."))
    context = {
        "monograph": monograph,
        "memento": monograph.memento,
        "url": absolute_url(reverse("mementos:review", kwargs={"pk": monograph.pk})),
    }
    if notify:
        emails_enqueue(
            template="monograph_review_request",
            context=context,
            to=people,
            topic=f"monograph-sign-off:{monograph.pk}",
        )
    return len(people)


@transaction.atomic
def sign_off_respond(*, monograph: Monograph, user, decision: str, comment: str) -> MonographReview:
    """A representative approves the case study about their structure, or comments on it;
    the staff who publish are told."""
    if decision == MonographReview.Decision.COMMENTED and not comment.strip():
        raise ValidationError(_("Dites ce qu'il faut changer."))
    review = MonographReview.objects.create(
        monograph=monograph, user=user, decision=decision, comment=comment.strip()
    )
    monograph.sign_off = (
        Monograph.SignOff.APPROVED
        if decision == MonographReview.Decision.APPROVED
        else Monograph.SignOff.COMMENTED
    )
    monograph.save(update_fields=["sign_off"])
    context = {
        "monograph": monograph,
        "review": review,
        "url": absolute_url(reverse("admin:mementos_monograph_change", args=[monograph.pk])),
    }
    emails_enqueue(
        template="monograph_reviewed_staff",
        context=context,
        to=staff_recipients(PUBLISH_PERMISSION),
        topic=f"monograph-reviewed:{review.pk}",
    )
    return review


# --- Drafts of published content ---------------------------------------------------------------

# What a draft may change (files, addresses and statuses stay with those who publish).
MEMENTO_DRAFT_FIELDS = [
    "title", "subtitle", "period", "summary", "key_questions", "cover_alt", "themes",
    "lead_partners", "practices", "source_workshops",
]  # fmt: skip
MONOGRAPH_DRAFT_FIELDS = [
    "title", "position", "entry", "summary", "context", "actions", "staff_time", "funding",
    "results", "success_factors", "pitfalls", "contacts", "practices",
]  # fmt: skip
SECTION_FIELDS = ["title", "position", "body"]


def needs_draft(*, user, memento: Memento | None) -> bool:
    """Whether a change by ``user`` to ``memento`` (or its case studies) waits for a
    publisher: the memento is public and the person may not publish."""
    return (
        memento is not None
        and memento.pk is not None
        and memento.status in Memento.PUBLISHING
        and not can_publish(user)
    )


def _stored(instance, name: str):
    """A field's value as a draft keeps it (JSON): ids for relations."""
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return sorted(instance.pk and getattr(instance, name).values_list("pk", flat=True) or [])
    if field.is_relation:
        return getattr(instance, field.attname)
    return getattr(instance, name)


def _as_stored(instance, name: str, value):
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return sorted(item.pk for item in value)
    if field.is_relation:
        return value.pk if value is not None else None
    return value


@transaction.atomic
def draft_save(
    *, memento: Memento, author, fields: dict, sections: list[dict] = (), monograph=None
) -> Draft | None:
    """Keep a change to a published memento (or to its case study ``monograph``) aside
    for a publisher: only what differs from the published version. A change already
    waiting for the same page is completed; the publishers are told. Returns the draft,
    or None when nothing changes."""

    target = monograph or memento
    allowed = MONOGRAPH_DRAFT_FIELDS if monograph is not None else MEMENTO_DRAFT_FIELDS
    changed = {}
    for name, value in fields.items():
        if name in allowed:
            stored = _as_stored(target, name, value)
            if stored != _stored(target, name):
                changed[name] = stored
    existing = (
        {s.pk: s for s in Section.objects.filter(memento=memento)} if monograph is None else {}
    )
    section_changes = []
    for data in sections:
        current = existing.get(data.get("id"))
        if data.get("delete"):
            if current is not None:
                section_changes.append({"id": current.pk, "delete": True})
            continue
        values = {name: data.get(name) for name in SECTION_FIELDS}
        if current is None or any(getattr(current, k) != v for k, v in values.items()):
            section_changes.append({"id": current.pk if current else None, **values})
    if not changed and not section_changes:
        return None
    draft = (
        Draft.objects.select_for_update()
        .filter(memento=memento, monograph=monograph, status=Draft.Status.PENDING)
        .first()
    )
    if draft is None:
        draft = Draft(memento=memento, monograph=monograph, author=author,
                      content={"fields": {}, "sections": []})  # fmt: skip
    draft.content["fields"].update(changed)
    kept = {s["id"]: s for s in draft.content.get("sections", []) if s.get("id")}
    new = [s for s in draft.content.get("sections", []) if not s.get("id")]
    for change in section_changes:
        if change.get("id"):
            kept[change["id"]] = change
        else:
            new.append(change)
    draft.content["sections"] = [*kept.values(), *new]
    draft.author = author
    draft.save()
    emails_enqueue(
        template="memento_draft_staff",
        context={
            "draft": draft,
            "author": author,
            "url": absolute_url(reverse("admin:mementos_draft_change", args=[draft.pk])),
        },
        to=staff_recipients(PUBLISH_PERMISSION),
        topic=f"memento-draft:{draft.pk}:{draft.updated_at.timestamp()}",
    )
    return draft


def _decision_email(draft, note: str = "") -> None:
    if draft.author is None or not draft.author.email:
        return
    emails_enqueue(
        template="memento_draft_decided",
        context={
            "draft": draft,
            "note": note,
            "url": absolute_url(draft.target.get_absolute_url()),
        },
        to=[draft.author.email],
        topic=f"memento-draft-decided:{draft.pk}",
    )


@transaction.atomic
def draft_publish(*, draft, user):
    """Publish a change kept aside: the public page shows it at once; a revision records
    who proposed it and who published it; its author is told."""

    if not can_publish(user):
        raise PermissionDenied(
            _("Seules les personnes autorisées à publier publient une modification.")
        )
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    if draft.status != Draft.Status.PENDING:
        raise ValidationError(_("Cette modification a déjà été traitée."))
    memento = Memento.objects.select_for_update().get(pk=draft.memento_id)
    target = Monograph.objects.get(pk=draft.monograph_id) if draft.monograph_id else memento
    fields = draft.content.get("fields", {})
    with reversion.create_revision():
        later = {}
        for name, value in fields.items():
            field = target._meta.get_field(name)
            if field.many_to_many:
                later[name] = value
            elif field.is_relation:
                setattr(target, field.attname, value)
            else:
                setattr(target, name, value)
        target.full_clean(exclude=["search_vector", "cover", "pdf"], validate_unique=False)
        target.save()
        for name, ids in later.items():
            getattr(target, name).set(ids)
        for change in draft.content.get("sections", []):
            if change.get("delete"):
                Section.objects.filter(pk=change["id"], memento=memento).delete()
            elif change.get("id"):
                Section.objects.filter(pk=change["id"], memento=memento).update(
                    **{k: change[k] for k in SECTION_FIELDS}
                )
            else:
                Section.objects.create(memento=memento, **{k: change[k] for k in SECTION_FIELDS})
        if memento.status == Memento.Status.PUBLISHED and not memento.sections.exists():
            raise ValidationError(_("Un mémento sans section ne peut pas être publié."))
        reversion.add_to_revision(memento)
        reversion.set_user(user)
        author = draft.author.get_full_name() if draft.author else "—"
        reversion.set_comment(
            _("Modification proposée par %(author)s, publiée.") % {"author": author}
        )
    draft.record_review(reviewer=user, status=Draft.Status.PUBLISHED)
    memento_index(memento)
    _decision_email(draft)
    return draft


@transaction.atomic
def draft_reject(*, draft, user, note: str):
    """Send a change back to its author with a note; the public page never changed."""

    if not can_publish(user):
        raise PermissionDenied(
            _("Seules les personnes autorisées à publier relisent une modification.")
        )
    if not note.strip():
        raise ValidationError(_("Dites pourquoi la modification est renvoyée."))
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    if draft.status != Draft.Status.PENDING:
        raise ValidationError(_("Cette modification a déjà été traitée."))
    draft.record_review(reviewer=user, status=Draft.Status.REJECTED, note=note.strip())
    _decision_email(draft, note.strip())
    return draft
