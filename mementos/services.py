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
from mementos.models import Memento, Monograph, MonographReview

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


def check_public_edit(*, user, memento: Memento | None) -> None:
    """What a published (or archived) memento shows, its case studies included, changes
    only by those allowed to publish: an editor's change would be live at once."""
    if memento is not None and memento.status in Memento.PUBLISHING and not can_publish(user):
        raise PermissionDenied(
            _(
                "Ce mémento est publié : ses modifications, et celles de ses études de cas, "
                "sont réservées aux personnes autorisées à publier. Demandez-leur de le "
                "repasser en brouillon, ou de faire la modification."
            )
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
