import secrets

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.models import DirectoryEntry
from core.links import slug_url
from core.models import ChoiceLabels, Reviewed
from reference.models import Commune, Region, Theme


def new_token() -> str:
    """A secret for links sent by email: 256 random bits from the system's CSPRNG."""
    return secrets.token_urlsafe(32)


class EventQuerySet(models.QuerySet):
    def published(self) -> "EventQuerySet":
        return self.filter(published=True)

    def upcoming(self) -> "EventQuerySet":
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at", "pk")

    def past(self) -> "EventQuerySet":
        return self.filter(ends_at__lt=timezone.now()).order_by("-starts_at", "pk")


class Event(ChoiceLabels, models.Model):
    """A seminar, a day of production workshops, a network meeting or a webinar."""

    class Kind(models.TextChoices):
        SEMINAR = "seminar", _("séminaire")
        WORKSHOP_DAY = "workshop_day", _("journée d'ateliers de production")
        NETWORK_MEETING = "network_meeting", _("rencontre de réseau")
        WEBINAR = "webinar", _("webinaire")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=220, unique=True)
    summary = models.TextField(_("résumé"), max_length=600)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown accepté."))
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    venue = models.CharField(_("lieu"), max_length=200, blank=True)
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("commune"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("région"),
        help_text=_("Déduite de la commune."),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    online_url = models.URLField(_("lien de connexion"), blank=True)
    organisers = models.CharField(
        _("organisateurs"),
        max_length=300,
        blank=True,
        help_text=_("Par exemple : France Clusters, ANPP et INRA."),
    )
    organiser_entries = models.ManyToManyField(
        DirectoryEntry,
        blank=True,
        related_name="organised_events",
        verbose_name=_("structures organisatrices"),
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="events", verbose_name=_("thèmes")
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_("Pour l'événement entier ; vide : sans limite (les ateliers ont les leurs)."),
    )
    max_per_structure = models.PositiveSmallIntegerField(
        _("inscrits au plus par structure"), null=True, blank=True
    )
    registration_opens_at = models.DateTimeField(
        _("ouverture des inscriptions"), null=True, blank=True
    )
    registration_closes_at = models.DateTimeField(
        _("clôture des inscriptions"), null=True, blank=True
    )
    registrations_closed = models.BooleanField(
        _("inscriptions fermées"),
        default=False,
        help_text=_("Ferme les inscriptions tout de suite, quelles que soient les dates."),
    )
    outputs = models.TextField(
        _("productions"),
        blank=True,
        help_text=_("Après l'événement : ce qui en est sorti (Markdown, liens)."),
    )
    published = models.BooleanField(_("publié"), default=False)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("La fin précède le début."),
            )
        ]
        indexes = [
            models.Index(fields=["published", "starts_at"], name="event_pub_start"),
            GinIndex(fields=["search_vector"], name="event_search"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # The first publication: the alerts announce new events only.
        if self.published and self.published_at is None:
            self.published_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "published_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return slug_url("events:detail", slug=self.slug)

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def registration_open(self) -> bool:
        now = timezone.now()
        if self.registrations_closed or self.is_past:
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return not (self.registration_closes_at and now > self.registration_closes_at)


class Workshop(models.Model):
    """A workshop of an event, in a time slot, with its own capacity and waitlist."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="workshops", verbose_name=_("événement")
    )
    title = models.CharField(_("titre"), max_length=200)
    theme = models.ForeignKey(
        Theme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshops",
        verbose_name=_("thème"),
    )
    description = models.TextField(_("description"), blank=True)
    facilitators = models.CharField(_("animation"), max_length=300, blank=True)
    room = models.CharField(_("salle"), max_length=100, blank=True)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    capacity = models.PositiveIntegerField(_("places"))

    class Meta:
        verbose_name = _("atelier")
        verbose_name_plural = _("ateliers")
        ordering = ["starts_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="workshop_ends_after_start",
                violation_error_message=_("La fin de l'atelier précède son début."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def overlaps(self, other: "Workshop") -> bool:
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at


class Status(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmée")
    WAITLISTED = "waitlisted", _("en liste d'attente")
    CANCELLED = "cancelled", _("annulée")


class BookingStatus:
    """Where a registration or a workshop seat stands, for pages and emails."""

    @property
    def is_confirmed(self) -> bool:
        return self.status == Status.CONFIRMED

    @property
    def is_waitlisted(self) -> bool:
        return self.status == Status.WAITLISTED

    @property
    def is_cancelled(self) -> bool:
        return self.status == Status.CANCELLED


class Registration(BookingStatus, models.Model):
    """One person's registration to an event, with the workshops they chose."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("événement")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("compte"),
    )
    full_name = models.CharField(_("nom et prénom"), max_length=200)
    email = models.EmailField(_("adresse e-mail"))
    structure = models.ForeignKey(
        DirectoryEntry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("structure de l'annuaire"),
    )
    structure_name = models.CharField(_("structure"), max_length=200, blank=True)
    accessibility_needs = models.CharField(_("besoins d'accessibilité"), max_length=500, blank=True)
    dietary_needs = models.CharField(_("régime alimentaire"), max_length=300, blank=True)
    consent_at = models.DateTimeField(_("consentement donné le"))
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.CONFIRMED
    )
    waitlist_position = models.PositiveIntegerField(
        _("rang d'arrivée en attente"), null=True, blank=True
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    checked_in_at = models.DateTimeField(_("présent depuis"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymisée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("inscrit le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["created_at"]
        constraints = [
            # One person registers once per event; registering again edits it.
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=models.Q(user__isnull=False),
                name="registration_one_per_person",
            )
        ]
        indexes = [
            models.Index(fields=["event", "status"], name="registration_event_status"),
            models.Index(fields=["event", "structure_name"], name="registration_event_structure"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} — {self.event}"

    def get_manage_url(self) -> str:
        return reverse("events:registration", kwargs={"token": self.token})

    @property
    def waiting_choices(self) -> list["WorkshopChoice"]:
        """The workshops this person waits for (from the choices already fetched)."""
        return [choice for choice in self.choices.all() if choice.is_waitlisted]


class WorkshopChoice(BookingStatus, models.Model):
    """A seat in a workshop, or a place on its waitlist."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="choices",
        verbose_name=_("inscription"),
    )
    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="choices", verbose_name=_("atelier")
    )
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.CONFIRMED
    )
    # Arrival order on the waitlist; the rank shown counts those still waiting before.
    waitlist_position = models.PositiveIntegerField(
        _("rang d'arrivée en attente"), null=True, blank=True
    )
    promoted_at = models.DateTimeField(_("passée en place confirmée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("choisi le"), auto_now_add=True)

    class Meta:
        verbose_name = _("choix d'atelier")
        verbose_name_plural = _("choix d'ateliers")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "workshop"], name="choice_one_per_workshop"
            ),
            models.UniqueConstraint(
                fields=["workshop", "waitlist_position"],
                condition=models.Q(status="waitlisted"),
                name="choice_unique_waitlist_position",
            ),
        ]
        indexes = [models.Index(fields=["workshop", "status"], name="choice_workshop_status")]

    def __str__(self) -> str:
        return f"{self.registration.full_name} — {self.workshop}"


class CallForParticipation(models.Model):
    """An event's call for contributions to its workshops."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="call", verbose_name=_("événement")
    )
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), help_text=_("Markdown accepté."))
    opens_at = models.DateTimeField(_("ouverture"))
    closes_at = models.DateTimeField(_("clôture"))

    class Meta:
        verbose_name = _("appel à participation")
        verbose_name_plural = _("appels à participation")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.opens_at <= timezone.now() <= self.closes_at


def proposal_upload_to(instance: "Proposal", filename: str) -> str:
    # Never the person's file name: a random folder, a fixed name.
    return f"propositions/{secrets.token_hex(16)}/document.pdf"


class Proposal(Reviewed):
    """A contribution proposed in answer to a call for participation."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("soumise")
        ACCEPTED = "accepted", _("retenue")
        REJECTED = "rejected", _("non retenue")

    call = models.ForeignKey(
        CallForParticipation,
        on_delete=models.CASCADE,
        related_name="proposals",
        verbose_name=_("appel"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="proposals",
        verbose_name=_("auteur"),
    )
    title = models.CharField(_("titre"), max_length=200)
    summary = models.TextField(_("résumé"), max_length=3000)
    workshop = models.ForeignKey(
        Workshop,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("atelier visé"),
    )
    theme = models.ForeignKey(
        Theme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("thème"),
    )
    contributors = models.CharField(_("intervenants"), max_length=500, blank=True)
    document = models.FileField(
        _("document (PDF)"), upload_to=proposal_upload_to, blank=True, max_length=200
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    created_at = models.DateTimeField(_("soumise le"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposition")
        verbose_name_plural = _("propositions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED

    @property
    def is_rejected(self) -> bool:
        return self.status == self.Status.REJECTED
