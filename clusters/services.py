"""Writes that matter in the clusters app."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from clusters.models import (
    DirectoryEntry,
    EntryChange,
    Membership,
    Practice,
    PracticeLink,
    PracticePartner,
)
from core.mail import absolute_url, send_templated_mail, staff_recipients
from core.search import document_vector, vocabulary_add
from reference.models import Department, FundingMeasure, Setting, Theme

# --- Directory -----------------------------------------------------------------------

ENTRY_EDITABLE_FIELDS = [
    "name",
    "acronym",
    "description",
    "website",
    "email",
    "phone",
    "address",
]


def unique_slug(model, text: str, *, instance_pk: int | None = None) -> str:
    """A slug for ``text`` not yet used by another row of ``model``."""
    base = slugify(text)[:200] or "fiche"
    slug, n = base, 1
    others = (
        model._default_manager.exclude(pk=instance_pk) if instance_pk else model._default_manager
    )
    while others.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def entry_prepare(entry: DirectoryEntry) -> DirectoryEntry:
    """Derive what follows from the commune: department, region and, unless staff placed
    it by hand, the point on the map. In memory; the caller saves."""
    if entry.commune_id:
        commune = entry.commune
        entry.department_id = commune.department_id
        entry.region_id = Department.objects.values_list("region_id", flat=True).get(
            pk=commune.department_id
        )
        if entry.latitude is None or entry.longitude is None:
            entry.latitude, entry.longitude = commune.latitude, commune.longitude
    elif entry.department_id:
        entry.region_id = entry.department.region_id
    if not entry.slug:
        entry.slug = unique_slug(DirectoryEntry, entry.name)
    return entry


def entry_index(entry_ids: list[int]) -> None:
    """Rebuild the search vector of these entries and feed the vocabulary."""
    entries = (
        DirectoryEntry.objects.filter(pk__in=entry_ids)
        .select_related("commune", "department", "region")
        .prefetch_related("themes")
    )
    words = []
    for entry in entries:
        place = " ".join(
            str(part)
            for part in (entry.commune and entry.commune.name, entry.department, entry.region)
            if part
        )
        themes = " ".join(theme.name for theme in entry.themes.all())
        DirectoryEntry.objects.filter(pk=entry.pk).update(
            search_vector=document_vector(
                (f"{entry.name} {entry.acronym}", "A"),
                (f"{entry.get_kind_display()} {themes}", "B"),
                (place, "C"),
                (entry.description, "D"),
            )
        )
        if entry.published:
            words += [entry.name, entry.acronym, themes, entry.description, place]
    vocabulary_add(words)


@transaction.atomic
def entry_save(
    *,
    entry: DirectoryEntry,
    themes: Iterable[Theme] | None = None,
    departments: Iterable[Department] | None = None,
) -> DirectoryEntry:
    """Save a structure or territory with what derives from it (place, search vector)."""
    entry_prepare(entry)
    entry.save()
    if themes is not None:
        entry.themes.set(themes)
    if departments is not None:
        entry.departments.set(departments)
        if not entry.department_id and entry.departments.exists():
            first = entry.departments.order_by("code").first()
            DirectoryEntry.objects.filter(pk=entry.pk).update(
                department=first, region_id=first.region_id
            )
    entry_index([entry.pk])
    return entry


@transaction.atomic
def entries_set_published(*, entry_ids: list[int], published: bool) -> int:
    """Publish or unpublish entries; their search vectors follow, and the vocabulary that
    corrects typos learns the words of those published. Returns how many changed."""
    count = (
        DirectoryEntry.objects.filter(pk__in=entry_ids)
        .exclude(published=published)
        .update(published=published, updated_at=timezone.now())
    )
    entry_index(entry_ids)
    return count


@transaction.atomic
def entries_apply_suggested_setting(*, entry_ids: list[int]) -> int:
    """Give the entries without a setting the one INSEE's density grid suggests for their
    commune. Returns how many were set."""
    changed = 0
    for entry in DirectoryEntry.objects.filter(pk__in=entry_ids, setting="").select_related(
        "commune"
    ):
        suggestion = entry.suggested_setting
        if suggestion:
            DirectoryEntry.objects.filter(pk=entry.pk).update(setting=suggestion)
            changed += 1
    return changed


@transaction.atomic
def membership_add(*, user, entry: DirectoryEntry, role: str = Membership.Role.REPRESENTATIVE):
    """Link a person to a structure or territory (a representative may edit its entry)."""
    membership, _ = Membership.objects.update_or_create(
        user=user, entry=entry, defaults={"role": role}
    )
    return membership


def entry_change_data(entry: DirectoryEntry) -> dict:
    """The editable values of an entry, in the shape an EntryChange stores them."""
    data = {field: getattr(entry, field) for field in ENTRY_EDITABLE_FIELDS}
    data["themes"] = sorted(entry.themes.values_list("slug", flat=True))
    return data


@transaction.atomic
def entry_change_propose(*, entry: DirectoryEntry, author, data: dict) -> EntryChange:
    """Record a representative's change for moderation; it replaces a change of theirs
    still waiting. Staff are told by email. The public entry stays as it is."""
    DirectoryEntry.objects.select_for_update().get(pk=entry.pk)
    change = EntryChange.objects.filter(entry=entry, status=EntryChange.Status.PENDING).first()
    if change:
        change.data, change.author = data, author
        change.save(update_fields=["data", "author"])
    else:
        change = EntryChange.objects.create(entry=entry, author=author, data=data)
    url = absolute_url(reverse("admin:clusters_entrychange_change", args=[change.pk]))
    recipients = staff_recipients("clusters.change_entrychange")
    transaction.on_commit(
        lambda: send_templated_mail(
            "entry_change_staff", {"change": change, "entry": entry, "url": url}, recipients
        )
    )
    return change


@transaction.atomic
def entry_change_approve(*, change: EntryChange, reviewer) -> DirectoryEntry:
    """Apply a waiting change to its entry, then tell its author."""
    change = EntryChange.objects.select_for_update().get(pk=change.pk)
    if change.status != EntryChange.Status.PENDING:
        raise ValidationError(_("Cette modification a déjà été traitée."))
    entry = change.entry
    for field in ENTRY_EDITABLE_FIELDS:
        if field in change.data:
            setattr(entry, field, change.data[field])
    themes = None
    if "themes" in change.data:
        themes = list(Theme.objects.filter(slug__in=change.data["themes"]))
    entry_save(entry=entry, themes=themes)
    change.record_review(reviewer=reviewer, status=EntryChange.Status.APPROVED)
    _tell_change_author(change)
    return entry


@transaction.atomic
def entry_change_reject(*, change: EntryChange, reviewer, note: str) -> EntryChange:
    """Refuse a waiting change, with the reason told to its author."""
    change = EntryChange.objects.select_for_update().get(pk=change.pk)
    if change.status != EntryChange.Status.PENDING:
        raise ValidationError(_("Cette modification a déjà été traitée."))
    change.record_review(reviewer=reviewer, status=EntryChange.Status.REJECTED, note=note)
    _tell_change_author(change)
    return change


def _tell_change_author(change: EntryChange) -> None:
    if not change.author:
        return
    context = {
        "change": change,
        "entry": change.entry,
        "url": absolute_url(change.entry.get_absolute_url()),
    }
    address = change.author.email
    transaction.on_commit(lambda: send_templated_mail("entry_change_reviewed", context, [address]))


# --- Practices -----------------------------------------------------------------------


@dataclass
class PartnerInput:
    """A partner as a form or an import gives it: a directory entry, or a name."""

    role: str
    entry: DirectoryEntry | None = None
    name: str = ""


def practice_index(practice: Practice) -> None:
    """Rebuild the practice's denormalised filter fields and its search vector."""
    partners = list(practice.partners.select_related("entry__department", "entry__region"))
    entries = [p.entry for p in partners if p.entry_id]
    settings_seen = {e.setting for e in entries}
    lead = next(
        (p.entry for p in partners if p.role == PracticePartner.Role.LEAD and p.entry_id), None
    )
    themes = " ".join(practice.themes.values_list("name", flat=True))
    measures = " ".join(practice.funding_measures.values_list("code", flat=True))
    partner_names = " ".join(p.display_name for p in partners)
    Practice.objects.filter(pk=practice.pk).update(
        rural_urban=Setting.RURAL in settings_seen
        and bool(settings_seen & {Setting.URBAN, Setting.PERI_URBAN}),
        lead_kind=lead.kind if lead else "",
        region_codes=sorted({e.region.code for e in entries if e.region_id}),
        department_codes=sorted({e.department.code for e in entries if e.department_id}),
        search_vector=document_vector(
            (practice.title, "A"),
            (f"{practice.summary} {themes}", "B"),
            (f"{partner_names} {measures}", "C"),
            (
                " ".join(
                    (
                        practice.body,
                        practice.rural_contribution,
                        practice.urban_contribution,
                        practice.results,
                        practice.success_factors,
                        practice.pitfalls,
                    )
                ),
                "D",
            ),
        ),
    )
    if practice.state == Practice.State.PUBLISHED:
        vocabulary_add([practice.title, practice.summary, practice.body, themes, partner_names])


def entries_count_practices(entry_ids: Iterable[int]) -> None:
    """Bring the count of published practices of these entries up to date."""
    ids = list(set(entry_ids))
    if not ids:
        return
    published = (
        PracticePartner.objects.filter(
            entry=OuterRef("pk"), practice__state=Practice.State.PUBLISHED
        )
        .values("entry")
        .annotate(n=Count("practice", distinct=True))
        .values("n")
    )
    DirectoryEntry.objects.filter(pk__in=ids).update(
        published_practice_count=Coalesce(Subquery(published), 0)
    )


def _practice_entry_ids(practice: Practice) -> list[int]:
    return list(practice.partners.exclude(entry=None).values_list("entry_id", flat=True))


@transaction.atomic
def practice_save(
    *,
    practice: Practice,
    themes: Iterable[Theme] = (),
    funding_measures: Iterable[FundingMeasure] = (),
    partners: list[PartnerInput] | None = None,
    links: list[tuple[str, str]] | None = None,
) -> Practice:
    """Save a practice with its themes, measures, partners and links, then bring its
    filters, its search vector and its partners' practice counts up to date."""
    if not practice.slug:
        practice.slug = unique_slug(Practice, practice.title)
    if practice.state == Practice.State.PUBLISHED and not practice.published_at:
        practice.published_at = timezone.now()
    before = _practice_entry_ids(practice) if practice.pk else []
    practice.full_clean(exclude=["slug"])
    practice.save()
    practice.themes.set(themes)
    practice.funding_measures.set(funding_measures)
    if partners is not None:
        practice.partners.all().delete()
        seen = set()
        rows = []
        for position, partner in enumerate(partners):
            if partner.entry is not None:
                if partner.entry.pk in seen:
                    continue
                seen.add(partner.entry.pk)
            rows.append(
                PracticePartner(
                    practice=practice,
                    entry=partner.entry,
                    name="" if partner.entry else partner.name.strip(),
                    role=partner.role,
                    position=position,
                )
            )
        PracticePartner.objects.bulk_create(rows)
    if links is not None:
        practice.links.all().delete()
        PracticeLink.objects.bulk_create(
            [PracticeLink(practice=practice, label=label, url=url) for label, url in links]
        )
    practice_index(practice)
    entries_count_practices(before + _practice_entry_ids(practice))
    return practice


@transaction.atomic
def practice_propose(
    *,
    proposer,
    practice: Practice,
    themes: Iterable[Theme],
    funding_measures: Iterable[FundingMeasure],
    partners: list[PartnerInput],
    links: list[tuple[str, str]],
) -> Practice:
    """A member proposes a practice: it waits as "proposée" and staff are told."""
    practice.state = Practice.State.PROPOSED
    practice.proposer = proposer
    practice.published_at = None
    practice_save(
        practice=practice,
        themes=themes,
        funding_measures=funding_measures,
        partners=partners,
        links=links,
    )
    context = {
        "practice": practice,
        "proposer": proposer,
        "url": absolute_url(reverse("admin:clusters_practice_change", args=[practice.pk])),
    }
    recipients = staff_recipients("clusters.change_practice")
    transaction.on_commit(
        lambda: send_templated_mail("practice_proposed_staff", context, recipients)
    )
    return practice


@transaction.atomic
def practice_publish(*, practice: Practice) -> Practice:
    """Publish a practice: it shows on the site, its partners' counts grow, its author
    is told."""
    practice = Practice.objects.select_for_update().get(pk=practice.pk)
    if practice.state == Practice.State.PUBLISHED:
        return practice
    practice.state = Practice.State.PUBLISHED
    practice.rejection_reason = ""
    practice.published_at = practice.published_at or timezone.now()
    practice.save(update_fields=["state", "rejection_reason", "published_at", "updated_at"])
    practice_index(practice)
    entries_count_practices(_practice_entry_ids(practice))
    _tell_proposer(practice, "practice_published")
    return practice


@transaction.atomic
def practice_reject(*, practice: Practice, reason: str) -> Practice:
    """Refuse (or withdraw) a practice, with the reason told to its author."""
    if not reason.strip():
        raise ValidationError(_("Indiquez le motif du refus : il est envoyé à l'auteur."))
    practice = Practice.objects.select_for_update().get(pk=practice.pk)
    practice.state = Practice.State.REJECTED
    practice.rejection_reason = reason.strip()
    practice.save(update_fields=["state", "rejection_reason", "updated_at"])
    entries_count_practices(_practice_entry_ids(practice))
    _tell_proposer(practice, "practice_rejected")
    return practice


def practices_forget(user) -> int:
    """A person leaves the portal: the practices they proposed and that are not published
    go; published ones stay without their name. Returns how many went."""
    gone, _details = (
        Practice.objects.filter(proposer=user).exclude(state=Practice.State.PUBLISHED).delete()
    )
    return gone


def _tell_proposer(practice: Practice, template: str) -> None:
    if not practice.proposer_id or not practice.proposer.email:
        return
    context = {
        "practice": practice,
        "url": absolute_url(practice.get_absolute_url()),
        "dashboard_url": absolute_url(reverse("accounts:dashboard")),
    }
    address = practice.proposer.email
    transaction.on_commit(lambda: send_templated_mail(template, context, [address]))
