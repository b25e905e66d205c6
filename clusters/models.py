from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.accounts import has_verified_email
from core.links import slug_url
from core.models import ChoiceLabels, Reviewed
from core.search import Unaccented
from reference.models import (
    Commune,
    Department,
    Epci,
    FundingMeasure,
    Region,
    Setting,
    Theme,
    setting_for_density,
)


class Category(models.TextChoices):
    STRUCTURE = "structure", _("structure")
    TERRITORY = "territory", _("territoire")


class Kind(models.TextChoices):
    CLUSTER = "cluster", _("cluster")
    POLE = "pole", _("pôle de compétitivité")
    TIERS_LIEU = "tiers_lieu", _("tiers-lieu")
    FAB_LAB = "fab_lab", _("fab lab")
    PEPINIERE = "pepiniere", _("pépinière d'entreprises")
    TECHNOPOLE = "technopole", _("technopole")
    RESEARCH = "research", _("centre de recherche")
    OTHER_STRUCTURE = "other_structure", _("autre structure")
    PAYS = "pays", _("Pays")
    PETR = "petr", _("PETR")
    GAL = "gal", _("GAL LEADER")
    EPCI = "epci", _("EPCI")
    PNR = "pnr", _("parc naturel régional")
    OTHER_TERRITORY = "other_territory", _("autre territoire")


STRUCTURE_KINDS = [
    Kind.CLUSTER,
    Kind.POLE,
    Kind.TIERS_LIEU,
    Kind.FAB_LAB,
    Kind.PEPINIERE,
    Kind.TECHNOPOLE,
    Kind.RESEARCH,
    Kind.OTHER_STRUCTURE,
]
INNOVATION_PLACE_KINDS = [Kind.TIERS_LIEU, Kind.FAB_LAB, Kind.PEPINIERE, Kind.TECHNOPOLE]
TERRITORY_KINDS = [Kind.PAYS, Kind.PETR, Kind.GAL, Kind.EPCI, Kind.PNR, Kind.OTHER_TERRITORY]


class DirectoryEntryQuerySet(models.QuerySet):
    def published(self) -> "DirectoryEntryQuerySet":
        return self.filter(published=True)

    def structures(self) -> "DirectoryEntryQuerySet":
        return self.filter(category=Category.STRUCTURE)

    def territories(self) -> "DirectoryEntryQuerySet":
        return self.filter(category=Category.TERRITORY)


class DirectoryEntry(ChoiceLabels, models.Model):
    """A structure (cluster, pole, innovation place, research centre) or a territory
    (Pays, PETR, GAL LEADER, EPCI, PNR) of the directory. One table for both, so that the
    directory lists, filters, sorts and searches them together; ``Organisation`` and
    ``Territory`` are its two proxies."""

    category = models.CharField(_("catégorie"), max_length=10, choices=Category.choices)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("nom"), max_length=200)
    acronym = models.CharField(_("sigle"), max_length=40, blank=True)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=220, unique=True)
    description = models.TextField(_("présentation"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    email = models.EmailField(_("e-mail de contact"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("commune"),
        help_text=_("Pour un territoire, la commune siège."),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("département"),
        help_text=_("Déduit de la commune, sinon du premier département couvert."),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("région"),
    )
    departments = models.ManyToManyField(
        Department,
        blank=True,
        related_name="covering_entries",
        verbose_name=_("départements couverts"),
    )
    epci = models.ForeignKey(
        Epci,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("EPCI correspondant"),
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    setting = models.CharField(
        _("milieu"), max_length=10, choices=Setting.choices, blank=True, default=""
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="entries", verbose_name=_("thèmes")
    )
    # The themes' ids, kept by clusters.totals: the potential partners are ranked on them
    # without joining the links.
    theme_ids = ArrayField(models.IntegerField(), default=list, blank=True, editable=False)
    published = models.BooleanField(_("publiée"), default=False)
    published_at = models.DateTimeField(
        _("publiée le"), null=True, blank=True, editable=False,
        help_text=_("La première publication : les alertes annoncent les fiches nouvelles."),
    )  # fmt: skip
    accepts_messages = models.BooleanField(
        _("accepte les messages du portail"),
        default=True,
        help_text=_(
            "Les membres confirmés peuvent écrire à la structure depuis sa fiche ; son "
            "adresse n'est jamais affichée. Décochez si la structure ne le souhaite pas."
        ),
    )
    published_practice_count = models.PositiveIntegerField(
        _("pratiques publiées"), default=0, editable=False
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = DirectoryEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("fiche de l'annuaire")
        verbose_name_plural = _("fiches de l'annuaire")
        ordering = ["name"]
        indexes = [
            GinIndex(fields=["search_vector"], name="entry_search_gin"),
            GinIndex(OpClass(Unaccented("name"), name="gin_trgm_ops"), name="entry_name_trgm"),
            # The theme filter (any of the chosen themes) on the copied theme ids.
            GinIndex(
                fields=["theme_ids"], condition=models.Q(published=True), name="entry_themes_gin"
            ),
            models.Index(fields=["published", "category", "kind"], name="entry_pub_kind"),
            models.Index(fields=["published", "region"], name="entry_pub_region"),
            models.Index(fields=["published", "department"], name="entry_pub_department"),
            # Covers the potential-partner ranking: setting, themes and point, no heap.
            models.Index(
                fields=["setting"],
                include=["id", "latitude", "longitude", "theme_ids"],
                condition=models.Q(published=True),
                name="entry_pub_setting_point",
            ),
            # The map's view: the points within its bounds.
            models.Index(
                fields=["latitude", "longitude"],
                include=["id"],
                condition=models.Q(published=True),
                name="entry_pub_point",
            ),
            models.Index(
                fields=["published", "-published_practice_count"], name="entry_pub_practices"
            ),
            models.Index(fields=["published", "-updated_at"], name="entry_pub_updated"),
            models.Index(fields=["published", "name"], name="entry_pub_name"),
            # One category in name order: the directory's structures or territories, and the
            # site search's first matches of each (it walked past the other category's).
            models.Index(
                fields=["category", "name", "id"],
                condition=models.Q(published=True),
                name="entry_pub_category_name",
            ),
            models.Index(fields=["published", "-published_at"], name="entry_pub_published_at"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if self.published and self.published_at is None:
            self.published_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "published_at"}
        super().save(*args, **kwargs)

    # Set by a search around a commune (clusters.filters); None elsewhere, so that the
    # cards read it without the template engine's costly failed lookups.
    distance_km = None

    def get_absolute_url(self) -> str:
        name = (
            "clusters:territory_detail"
            if self.category == Category.TERRITORY
            else "clusters:structure_detail"
        )
        return slug_url(name, slug=self.slug)

    @property
    def is_territory(self) -> bool:
        return self.category == Category.TERRITORY

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def suggested_setting(self) -> str | None:
        """The setting INSEE's density grid suggests for the commune, if imported."""
        return setting_for_density(self.commune.density_level) if self.commune_id else None


class OrganisationManager(models.Manager.from_queryset(DirectoryEntryQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(category=Category.STRUCTURE)


class TerritoryManager(models.Manager.from_queryset(DirectoryEntryQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(category=Category.TERRITORY)


class Organisation(DirectoryEntry):
    """A cluster, competitiveness pole, innovation place or research centre."""

    objects = OrganisationManager()

    class Meta:
        proxy = True
        verbose_name = _("structure")
        verbose_name_plural = _("structures")

    def save(self, *args, **kwargs) -> None:
        self.category = Category.STRUCTURE
        super().save(*args, **kwargs)


class Territory(DirectoryEntry):
    """A Pays, PETR, GAL LEADER, EPCI, regional natural park or other territory."""

    objects = TerritoryManager()

    class Meta:
        proxy = True
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")

    def save(self, *args, **kwargs) -> None:
        self.category = Category.TERRITORY
        super().save(*args, **kwargs)


UNVERIFIED_MEMBER = _(
    "Cette personne n'a pas encore confirmé son adresse e-mail : elle pourra être rattachée "
    "à une structure une fois l'adresse confirmée (lien envoyé à l'inscription, ou depuis "
    "« Mon espace »)."
)


class ContactMessage(models.Model):
    """That a member wrote to a structure through the portal: who, to whom, when. The
    message itself is not kept (it went by email, the structure answers the sender)."""

    entry = models.ForeignKey(
        DirectoryEntry,
        on_delete=models.CASCADE,
        related_name="contact_messages",
        verbose_name=_("structure ou territoire"),
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="contact_messages",
        verbose_name=_("expéditeur"),
    )
    created_at = models.DateTimeField(_("envoyé le"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("message à une structure")
        verbose_name_plural = _("messages aux structures")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["entry", "-created_at"], name="contact_entry_recent")]

    def __str__(self) -> str:
        return f"{self.entry} — {self.created_at:%Y-%m-%d}"


class Membership(models.Model):
    """A person's link to a structure or territory: a representative may edit its entry."""

    class Role(models.TextChoices):
        REPRESENTATIVE = "representative", _("représentant")
        MEMBER = "member", _("membre de l'équipe")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("personne"),
    )
    entry = models.ForeignKey(
        DirectoryEntry,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("structure ou territoire"),
    )
    role = models.CharField(
        _("rôle"), max_length=20, choices=Role.choices, default=Role.REPRESENTATIVE
    )
    created_at = models.DateTimeField(_("depuis le"), auto_now_add=True)

    class Meta:
        verbose_name = _("rattachement")
        verbose_name_plural = _("rattachements")
        constraints = [models.UniqueConstraint(fields=["user", "entry"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.entry} ({self.get_role_display()})"

    def clean(self) -> None:
        super().clean()
        if self._state.adding and self.user_id and not has_verified_email(self.user):
            raise ValidationError({"user": UNVERIFIED_MEMBER})


class EntryChange(Reviewed):
    """A representative's change to their entry, applied only once staff approve it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        APPROVED = "approved", _("approuvée")
        REJECTED = "rejected", _("refusée")

    entry = models.ForeignKey(
        DirectoryEntry,
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=_("fiche"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="entry_changes",
        verbose_name=_("auteur"),
    )
    data = models.JSONField(_("valeurs proposées"))
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("modification de fiche")
        verbose_name_plural = _("modifications de fiches")
        ordering = ["-created_at"]
        constraints = [
            # One change waits at a time per entry: a new one replaces the old.
            models.UniqueConstraint(
                fields=["entry"],
                condition=models.Q(status="pending"),
                name="entrychange_one_pending_per_entry",
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry} ({self.get_status_display()})"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class PracticeQuerySet(models.QuerySet):
    def published(self) -> "PracticeQuerySet":
        return self.filter(state=Practice.State.PUBLISHED)


class Practice(ChoiceLabels, models.Model):
    """An innovative practice, led by structures and territories working together."""

    class Kind(models.TextChoices):
        COOPERATION = "cooperation", _("projet de coopération")
        SHARED_SERVICE = "shared_service", _("service mutualisé")
        PLACE = "place", _("lieu d'innovation")
        SUPPLY_CHAIN = "supply_chain", _("filière et circuit court")
        SKILLS = "skills", _("compétences et emploi")
        NETWORK = "network", _("animation de réseau")
        METHOD = "method", _("outil ou méthode")

    class Status(models.TextChoices):
        PLANNED = "planned", _("en projet")
        ONGOING = "ongoing", _("en cours")
        COMPLETED = "completed", _("terminée")
        STOPPED = "stopped", _("arrêtée")

    class State(models.TextChoices):
        PROPOSED = "proposed", _("proposée")
        PUBLISHED = "published", _("publiée")
        REJECTED = "rejected", _("refusée")

    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=220, unique=True)
    summary = models.TextField(_("résumé"), max_length=600)
    body = models.TextField(_("description"), blank=True, help_text=_("Markdown accepté."))
    kind = models.CharField(_("type de pratique"), max_length=20, choices=Kind.choices)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="practices", verbose_name=_("thèmes")
    )
    funding_measures = models.ManyToManyField(
        FundingMeasure, blank=True, related_name="practices", verbose_name=_("mesures FEADER")
    )
    rural_contribution = models.TextField(_("ce qu'apporte le rural"), blank=True)
    urban_contribution = models.TextField(_("ce qu'apporte l'urbain"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("année de début"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("année de fin"), null=True, blank=True)
    status = models.CharField(
        _("avancement"), max_length=10, choices=Status.choices, default=Status.ONGOING
    )
    funding = models.TextField(_("financement"), blank=True)
    results = models.TextField(_("résultats"), blank=True)
    success_factors = models.TextField(_("facteurs de réussite"), blank=True)
    pitfalls = models.TextField(_("écueils à éviter"), blank=True)
    state = models.CharField(
        _("modération"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    rejection_reason = models.TextField(_("motif du refus"), blank=True)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_practices",
        verbose_name=_("proposée par"),
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)
    # Kept by the services from the partners, for fast filters.
    rural_urban = models.BooleanField(_("coopération rural–urbain"), default=False, editable=False)
    lead_kind = models.CharField(
        _("type du chef de file"), max_length=20, blank=True, editable=False
    )
    region_codes = ArrayField(
        models.CharField(max_length=3), default=list, blank=True, editable=False
    )
    department_codes = ArrayField(
        models.CharField(max_length=3), default=list, blank=True, editable=False
    )
    # The themes' ids, kept with the links (clusters.totals): with the regions, a filter
    # on both is two GIN indexes combined, not a walk through every link of a theme.
    theme_ids = ArrayField(models.IntegerField(), default=list, blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = PracticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("pratique")
        verbose_name_plural = _("pratiques")
        ordering = ["-published_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__isnull=True)
                | models.Q(start_year__isnull=True)
                | models.Q(end_year__gte=models.F("start_year")),
                name="practice_years_in_order",
                violation_error_message=_("L'année de fin précède l'année de début."),
            )
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="practice_search_gin"),
            GinIndex(fields=["region_codes"], name="practice_regions_gin"),
            GinIndex(fields=["department_codes"], name="practice_departments_gin"),
            GinIndex(fields=["theme_ids"], name="practice_themes_gin"),
            GinIndex(OpClass(Unaccented("title"), name="gin_trgm_ops"), name="practice_title_trgm"),
            models.Index(fields=["state", "-published_at"], name="practice_state_published"),
            # The public list in its default order, with what its filters read: a filter
            # walks this index alone (no row read) down to a deep page.
            models.Index(
                fields=["-published_at", "id"],
                include=[
                    "theme_ids",
                    "region_codes",
                    "department_codes",
                    "rural_urban",
                    "status",
                    "kind",
                    "lead_kind",
                ],
                condition=models.Q(state="published"),
                name="practice_pub_recent_cover",
            ),  # fmt: skip
            models.Index(fields=["state", "-updated_at"], name="practice_state_updated"),
            models.Index(fields=["state", "kind"], name="practice_state_kind"),
            models.Index(fields=["state", "status"], name="practice_state_status"),
            models.Index(fields=["state", "lead_kind"], name="practice_state_lead_kind"),
            models.Index(fields=["state", "rural_urban"], name="practice_state_rural_urban"),
            models.Index(fields=["state", "start_year", "end_year"], name="practice_state_years"),
            models.Index(fields=["state", "title"], name="practice_state_title"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return slug_url("clusters:practice_detail", slug=self.slug)

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def is_proposed(self) -> bool:
        return self.state == self.State.PROPOSED

    @property
    def is_rejected(self) -> bool:
        return self.state == self.State.REJECTED

    @property
    def years_display(self) -> str:
        if self.start_year and self.end_year and self.end_year != self.start_year:
            return f"{self.start_year}–{self.end_year}"
        if self.start_year and self.status in (self.Status.ONGOING, self.Status.PLANNED):
            return _("depuis %(year)s") % {"year": self.start_year}
        return str(self.start_year or self.end_year or "")


class PracticeToReview(Practice):
    """Proposed practices waiting for a staff decision: the admin's moderation queue."""

    class Meta:
        proxy = True
        verbose_name = _("pratique à modérer")
        verbose_name_plural = _("pratiques à modérer")


class PracticePartner(ChoiceLabels, models.Model):
    """A structure or territory taking part in a practice, as lead or partner. A partner
    not (yet) in the directory is named only."""

    class Role(models.TextChoices):
        LEAD = "lead", _("chef de file")
        PARTNER = "partner", _("partenaire")

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="partners", verbose_name=_("pratique")
    )
    entry = models.ForeignKey(
        DirectoryEntry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partnerships",
        verbose_name=_("structure ou territoire de l'annuaire"),
    )
    name = models.CharField(
        _("nom"),
        max_length=200,
        blank=True,
        help_text=_("Pour un partenaire absent de l'annuaire."),
    )
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices, default=Role.PARTNER)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires")
        ordering = ["role", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(entry__isnull=True, name=""),
                name="partner_entry_or_name",
                violation_error_message=_("Choisissez une fiche de l'annuaire ou donnez un nom."),
            ),
            models.UniqueConstraint(
                fields=["practice", "entry"], name="partner_unique_entry_per_practice"
            ),
        ]
        indexes = [models.Index(fields=["entry", "practice"], name="partner_entry_practice")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.entry.name if self.entry_id else self.name


class PracticeLink(models.Model):
    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="links", verbose_name=_("pratique")
    )
    label = models.CharField(_("intitulé"), max_length=200)
    url = models.URLField(_("adresse"), max_length=500)

    class Meta:
        verbose_name = _("lien")
        verbose_name_plural = _("liens")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.label


class ThemeTotal(models.Model):
    """How many published practices and structures or territories carry a theme: the
    themes page and each theme's page read these instead of counting tens of thousands
    of links. Kept up to date in the same transaction as the writes (clusters.totals)."""

    theme = models.OneToOneField(
        Theme, on_delete=models.CASCADE, primary_key=True, related_name="directory_total"
    )
    practices = models.PositiveIntegerField(_("pratiques publiées"), default=0)
    entries = models.PositiveIntegerField(_("fiches publiées"), default=0)

    class Meta:
        verbose_name = _("total d'un thème")
        verbose_name_plural = _("totaux des thèmes")

    def __str__(self) -> str:
        return f"{self.theme_id}: {self.practices} / {self.entries}"
