"""Writes that matter in the clusters app."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Func,
    OuterRef,
    QuerySet,
    StringAgg,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Now
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from clusters.models import (
    UNVERIFIED_MEMBER,
    ContactMessage,
    DirectoryEntry,
    EntryChange,
    Membership,
    Practice,
    PracticeLink,
    PracticePartner,
)
from clusters.totals import (
    recounted_once,
    theme_ids_of,
    themes_of_entries_changed,
    themes_of_practices_changed,
)
from core.accounts import has_verified_email
from core.mail import absolute_url, emails_enqueue, staff_recipients
from core.search import SEARCH_CONFIG, vocabulary_from
from reference.models import Commune, Department, FundingMeasure, Region, Setting, Theme

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


def _label(field, choices) -> Case:
    """A choice's French label, in SQL (search vectors are built in French)."""
    with translation.override(settings.LANGUAGE_CODE):
        whens = [When(**{field: key}, then=Value(str(label))) for key, label in choices]
    return Case(*whens, default=Value(""), output_field=CharField())


def _names(queryset, field: str):
    """The values of ``field`` of ``queryset`` rows, joined by spaces, as a subquery
    (``queryset`` is filtered on an OuterRef)."""
    return Coalesce(
        Subquery(
            queryset.order_by()
            .annotate(group=Value(1))
            .values("group")
            .annotate(joined=StringAgg(field, delimiter=Value(" ")))
            .values("joined")[:1]
        ),
        Value(""),
        output_field=TextField(),
    )


def _name_of(model, field: str):
    return Coalesce(
        Subquery(model.objects.filter(pk=OuterRef(field)).values("name")[:1]), Value("")
    )


def entry_index(entries) -> None:
    """Rebuild the search vector of these entries (ids or a queryset) in one statement:
    names first, then kind and themes, then the place (commune, INSEE code, postcodes,
    department, region), then the description; the words of those published feed the
    vocabulary that corrects typos."""
    rows = (
        entries
        if isinstance(entries, QuerySet)
        else DirectoryEntry.objects.filter(pk__in=list(entries))
    )
    themes = _names(
        DirectoryEntry.themes.through.objects.filter(directoryentry_id=OuterRef("pk")),
        "theme__name",
    )
    commune = Commune.objects.filter(pk=OuterRef("commune_id"))
    place = Concat(
        Coalesce(Subquery(commune.values("name")[:1]), Value("")), Value(" "),
        Coalesce(Subquery(commune.values("code")[:1]), Value("")), Value(" "),
        Coalesce(
            Subquery(
                commune.annotate(
                    codes=Func(
                        F("postcodes"),
                        Value(" "),
                        function="array_to_string",
                        output_field=CharField(),
                    )
                ).values("codes")[:1]
            ),
            Value(""),
        ),
        Value(" "),
        _name_of(Department, "department_id"), Value(" "), _name_of(Region, "region_id"),
        output_field=CharField(),
    )  # fmt: skip
    kind = _label("kind", DirectoryEntry._meta.get_field("kind").choices)
    config = {"config": SEARCH_CONFIG}
    rows.update(
        theme_ids=theme_ids_of(DirectoryEntry),
        search_vector=SearchVector("name", "acronym", weight="A", **config)
        + SearchVector(kind, themes, weight="B", **config)
        + SearchVector(place, weight="C", **config)
        + SearchVector("description", weight="D", **config),
    )
    themes_of_entries_changed(rows.values_list("pk", flat=True))
    vocabulary_from(
        rows.filter(published=True),
        Concat("name", Value(" "), "acronym", Value(" "), themes, Value(" "), "description",
               Value(" "), place, output_field=CharField()),
    )  # fmt: skip


@transaction.atomic
@recounted_once()
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
        .update(
            published=published,
            updated_at=timezone.now(),
            # The first publication is kept: the alerts announce new entries only.
            published_at=Coalesce(F("published_at"), Now()) if published else F("published_at"),
        )
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
def entry_contact(*, entry: DirectoryEntry, sender, subject: str, message: str) -> ContactMessage:
    """Send a member's message to a structure's contact address, which is never shown:
    the structure answers the sender directly (Reply-To); the sender gets a copy. Only
    that a message was sent is kept, not what it said."""
    if not (entry.published and entry.accepts_messages and entry.email):
        raise ValidationError(_("Cette structure ne reçoit pas de messages par le portail."))
    context = {
        "entry": entry,
        "sender_name": sender.get_full_name() or sender.email,
        "sender_email": sender.email,
        "organisation": sender.organisation_name,
        "subject": subject,
        "message": message,
        "entry_url": absolute_url(entry.get_absolute_url()),
    }
    record = ContactMessage.objects.create(entry=entry, sender=sender)
    emails_enqueue(
        template="entry_contact", context=context, to=[entry.email], reply_to=sender.email,
        topic=f"entry-contact:{record.pk}",
    )  # fmt: skip
    emails_enqueue(
        template="entry_contact_copy", context=context, to=[sender.email],
        topic=f"entry-contact-copy:{record.pk}",
    )  # fmt: skip
    return record


@transaction.atomic
def membership_add(*, user, entry: DirectoryEntry, role: str = Membership.Role.REPRESENTATIVE):
    """Link a person to a structure or territory (a representative may edit its entry);
    only once they have confirmed their address."""
    if not has_verified_email(user):
        raise ValidationError({"user": UNVERIFIED_MEMBER})
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
    emails_enqueue(
        template="entry_change_staff",
        context={"change": change, "entry": entry, "url": url},
        to=recipients,
        topic=f"entry-change:{entry.pk}",
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
    emails_enqueue(
        template="entry_change_reviewed",
        context=context,
        to=[change.author.email],
        topic=f"entry-change-reviewed:{change.pk}",
    )


# --- Practices -----------------------------------------------------------------------


@dataclass
class PartnerInput:
    """A partner as a form or an import gives it: a directory entry, or a name."""

    role: str
    entry: DirectoryEntry | None = None
    name: str = ""


def practices_index(practices) -> None:
    """Rebuild, in a few statements whatever their number, these practices' (ids or a
    queryset) filter fields drawn from their partners (rural–urban, the lead's kind,
    regions and departments) and their search vector: title; summary, kind and themes;
    partners, their places and the FEADER measures; the rest of the text. The words of
    those published feed the vocabulary."""
    rows = (
        practices
        if isinstance(practices, QuerySet)
        else Practice.objects.filter(pk__in=list(practices))
    )
    partners = PracticePartner.objects.filter(practice_id=OuterRef("pk"))
    with_entry = partners.exclude(entry=None)
    rows.update(
        rural_urban=Exists(with_entry.filter(entry__setting=Setting.RURAL))
        & Exists(with_entry.filter(entry__setting__in=[Setting.URBAN, Setting.PERI_URBAN])),
        lead_kind=Coalesce(
            Subquery(
                with_entry.filter(role=PracticePartner.Role.LEAD)
                .order_by("position", "pk")
                .values("entry__kind")[:1]
            ),
            Value(""),
        ),
        region_codes=_codes(with_entry, "entry__region__code"),
        department_codes=_codes(with_entry, "entry__department__code"),
        theme_ids=theme_ids_of(Practice),
    )
    themes = _names(
        Practice.themes.through.objects.filter(practice_id=OuterRef("pk")), "theme__name"
    )
    measures = _names(
        Practice.funding_measures.through.objects.filter(practice_id=OuterRef("pk")),
        "fundingmeasure__code",
    )
    names = _names(
        partners.annotate(shown=Coalesce("entry__name", "name", output_field=CharField())),
        "shown",
    )
    places = _names(
        with_entry.annotate(
            place=Concat(
                Coalesce("entry__commune__name", Value("")), Value(" "),
                Coalesce("entry__commune__code", Value("")), Value(" "),
                Func(
                    F("entry__commune__postcodes"),
                    Value(" "),
                    function="array_to_string",
                    output_field=CharField(),
                ),
                Value(" "), Coalesce("entry__department__name", Value("")),
                output_field=CharField(),
            )
        ),
        "place",
    )  # fmt: skip
    kind = _label("kind", Practice._meta.get_field("kind").choices)
    config = {"config": SEARCH_CONFIG}
    rows.update(
        search_vector=SearchVector("title", weight="A", **config)
        + SearchVector("summary", kind, themes, weight="B", **config)
        + SearchVector(names, measures, places, weight="C", **config)
        + SearchVector(
            "body", "rural_contribution", "urban_contribution", "results", "success_factors",
            "pitfalls", weight="D", **config,
        )
    )  # fmt: skip
    themes_of_practices_changed(rows.values_list("pk", flat=True))
    vocabulary_from(
        rows.filter(state=Practice.State.PUBLISHED),
        Concat("title", Value(" "), "summary", Value(" "), "body", Value(" "), kind, Value(" "),
               themes, Value(" "), names, Value(" "), places, output_field=CharField()),
    )  # fmt: skip


def _codes(partners, field: str):
    """The distinct, sorted values of ``field`` among ``partners``, as an array."""
    return Coalesce(
        Subquery(
            partners.exclude(**{f"{field}__isnull": True})
            .order_by()
            .annotate(group=Value(1))
            .values("group")
            .annotate(codes=ArrayAgg(field, distinct=True, order_by=field))
            .values("codes")[:1]
        ),
        Value([], output_field=ArrayField(CharField(max_length=3))),
    )


def practice_index(practice: Practice) -> None:
    """Rebuild one practice's filter fields and search vector."""
    practices_index([practice.pk])


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
@recounted_once()
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
    emails_enqueue(
        template="practice_proposed_staff",
        context=context,
        to=staff_recipients("clusters.change_practice"),
        topic=f"practice:{practice.pk}",
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
    themes_of_practices_changed([practice.pk])  # a withdrawn practice leaves the totals
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
    emails_enqueue(
        template=template,
        context=context,
        to=[practice.proposer.email],
        topic=f"practice-decided:{practice.pk}",
    )
