import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from clusters.models import DirectoryEntry, Practice
from core.links import slug_url
from core.models import Reviewed
from reference.models import Theme


def _private_name(folder: str, filename: str) -> str:
    """Uploads get an unguessable name; they are only ever served through views."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"mementos/{folder}/{uuid.uuid4().hex}.{extension}"


def upload_cover(instance, filename: str) -> str:
    return _private_name("couvertures", filename)


def upload_pdf(instance, filename: str) -> str:
    return _private_name("pdf", filename)


class MementoQuerySet(models.QuerySet):
    def published(self) -> "MementoQuerySet":
        return self.filter(status=Memento.Status.PUBLISHED)

    def planned(self) -> "MementoQuerySet":
        return self.filter(status=Memento.Status.PLANNED)


class Memento(models.Model):
    """A best-practice guide of the programme, with its sections and case studies."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("prévu")
        DRAFT = "draft", _("brouillon")
        REVIEW = "review", _("en relecture")
        PUBLISHED = "published", _("publié")
        ARCHIVED = "archived", _("archivé")

    # The statuses that only those allowed to publish may give or take away.
    PUBLISHING = {Status.PUBLISHED, Status.ARCHIVED}

    number = models.PositiveSmallIntegerField(_("numéro"), unique=True)
    title = models.CharField(_("titre"), max_length=250)
    subtitle = models.CharField(_("sous-titre"), max_length=250, blank=True)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=200, unique=True)
    period = models.CharField(
        _("période"), max_length=40, blank=True, help_text=_("Par exemple : 2016, ou 2017–2018.")
    )
    lead_partners = models.ManyToManyField(
        DirectoryEntry,
        blank=True,
        related_name="mementos_led",
        verbose_name=_("partenaires pilotes"),
    )
    summary = models.TextField(_("résumé"), help_text=_("Markdown accepté."))
    key_questions = models.TextField(
        _("questions clés"), blank=True, help_text=_("Une question par ligne.")
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="mementos", verbose_name=_("thèmes")
    )
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    cover = models.ImageField(_("couverture"), upload_to=upload_cover, blank=True)
    cover_alt = models.CharField(
        _("description de la couverture"),
        max_length=250,
        blank=True,
        help_text=_("Ce que montre l'image, pour les personnes qui ne la voient pas."),
    )
    pdf = models.FileField(_("PDF"), upload_to=upload_pdf, blank=True)
    pdf_size = models.PositiveIntegerField(_("poids du PDF"), null=True, blank=True, editable=False)
    source_workshops = models.ManyToManyField(
        "events.Workshop",
        blank=True,
        related_name="mementos",
        verbose_name=_("ateliers d'origine"),
    )
    practices = models.ManyToManyField(
        Practice, blank=True, related_name="mementos", verbose_name=_("pratiques liées")
    )
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    objects = MementoQuerySet.as_manager()

    class Meta:
        verbose_name = _("mémento")
        verbose_name_plural = _("mémentos")
        ordering = ["number"]
        permissions = [("publish_memento", _("Peut publier, dépublier et archiver un mémento"))]
        indexes = [
            models.Index(fields=["status", "number"], name="memento_status"),
            GinIndex(fields=["search_vector"], name="memento_search"),
        ]

    def __str__(self) -> str:
        return _("Mémento n°%(number)s : %(title)s") % {"number": self.number, "title": self.title}

    def get_absolute_url(self) -> str:
        return slug_url("mementos:detail", slug=self.slug)

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def questions(self) -> list[str]:
        return [line.strip() for line in self.key_questions.splitlines() if line.strip()]

    @property
    def pdf_filename(self) -> str:
        return f"memento-{self.number}-{self.slug}.pdf"[:120]


class Section(models.Model):
    memento = models.ForeignKey(
        Memento, on_delete=models.CASCADE, related_name="sections", verbose_name=_("mémento")
    )
    title = models.CharField(_("titre"), max_length=250)
    body = models.TextField(_("texte"), help_text=_("Markdown accepté."))
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def anchor(self) -> str:
        return f"section-{self.pk}"


class Monograph(models.Model):
    """A case study: how one structure or territory did it."""

    class SignOff(models.TextChoices):
        NOT_REQUESTED = "not_requested", _("non demandée")
        REQUESTED = "requested", _("demandée")
        APPROVED = "approved", _("approuvée")
        COMMENTED = "commented", _("commentée")

    memento = models.ForeignKey(
        Memento, on_delete=models.CASCADE, related_name="monographs", verbose_name=_("mémento")
    )
    title = models.CharField(_("titre"), max_length=250)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=200)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    entry = models.ForeignKey(
        DirectoryEntry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="monographs",
        verbose_name=_("structure ou territoire décrit"),
    )
    summary = models.CharField(_("en bref"), max_length=400)
    context = models.TextField(_("contexte"), blank=True, help_text=_("Markdown accepté."))
    actions = models.TextField(_("actions"), blank=True, help_text=_("Markdown accepté."))
    staff_time = models.CharField(
        _("moyens humains"), max_length=250, blank=True, help_text=_("Par exemple : 0,5 ETP.")
    )
    funding = models.TextField(_("financements"), blank=True, help_text=_("Markdown accepté."))
    results = models.TextField(_("résultats"), blank=True, help_text=_("Markdown accepté."))
    success_factors = models.TextField(
        _("facteurs de réussite"), blank=True, help_text=_("Markdown accepté.")
    )
    pitfalls = models.TextField(_("écueils à éviter"), blank=True, help_text=_("Markdown accepté."))
    contacts = models.TextField(_("contacts"), blank=True, help_text=_("Markdown accepté."))
    practices = models.ManyToManyField(
        Practice, blank=True, related_name="monographs", verbose_name=_("pratiques liées")
    )
    sign_off = models.CharField(
        _("validation par la structure"),
        max_length=14,
        choices=SignOff.choices,
        default=SignOff.NOT_REQUESTED,
    )
    sign_off_requested_at = models.DateTimeField(_("validation demandée le"), null=True, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("monographie")
        verbose_name_plural = _("monographies")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["memento", "slug"], name="monograph_slug_per_memento")
        ]
        indexes = [GinIndex(fields=["search_vector"], name="monograph_search")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return slug_url("mementos:monograph", slug=self.memento.slug, monograph=self.slug)

    @property
    def sign_off_requested(self) -> bool:
        return self.sign_off == self.SignOff.REQUESTED

    @property
    def sign_off_approved(self) -> bool:
        return self.sign_off == self.SignOff.APPROVED

    @property
    def sign_off_commented(self) -> bool:
        return self.sign_off == self.SignOff.COMMENTED


class MonographReview(models.Model):
    """A representative's answer to a sign-off request: approved, or a comment."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("approuvée")
        COMMENTED = "commented", _("changements demandés")

    monograph = models.ForeignKey(
        Monograph, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("monographie")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="monograph_reviews",
        verbose_name=_("par"),
    )
    decision = models.CharField(_("décision"), max_length=10, choices=Decision.choices)
    comment = models.TextField(_("commentaire"), blank=True)
    created_at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("avis sur une monographie")
        verbose_name_plural = _("avis sur les monographies")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.monograph} — {self.get_decision_display()}"

    @property
    def is_approval(self) -> bool:
        return self.decision == self.Decision.APPROVED


class Draft(Reviewed):
    """A change to a published memento (or to one of its case studies) by someone who may
    not publish: kept aside, the public page unchanged, until a publisher publishes it or
    sends it back. ``content`` holds only what changes: ``fields`` (name: new value; a
    list of ids for a many-to-many) and, for a memento, ``sections`` (each with its id,
    or none for a new one, and ``delete``)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("à relire")
        PUBLISHED = "published", _("publiée")
        REJECTED = "rejected", _("renvoyée")

    memento = models.ForeignKey(
        Memento, on_delete=models.CASCADE, related_name="drafts", verbose_name=_("mémento")
    )
    monograph = models.ForeignKey(
        Monograph, on_delete=models.CASCADE, null=True, blank=True, related_name="drafts",
        verbose_name=_("monographie"),
    )  # fmt: skip
    content = models.JSONField(_("modifications"), default=dict)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("proposée par"),
    )  # fmt: skip
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("modification à relire")
        verbose_name_plural = _("modifications à relire")
        ordering = ["-updated_at"]
        constraints = [
            # One change waiting per memento or case study: a second edit updates it.
            models.UniqueConstraint(
                fields=["memento", "monograph"], condition=models.Q(status="pending"),
                nulls_distinct=False, name="draft_one_pending",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        target = self.monograph.title if self.monograph_id else self.memento.title
        return _("Modification de « %(target)s »") % {"target": target}

    @property
    def target(self):
        return self.monograph if self.monograph_id else self.memento
