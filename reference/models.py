"""Reference data every app reads: French administrative geography (regions,
departments, EPCI, communes with their town-hall point and INSEE density level), the
programme's themes and the FEADER funding measures; and the rural–urban gradient."""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.search import Unaccented


class Region(models.Model):
    """A French region (18: 13 in mainland France and 5 overseas), by INSEE code."""

    code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100)

    class Meta:
        verbose_name = _("région")
        verbose_name_plural = _("régions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A French department (101), by INSEE code ("01", "2A", "974")."""

    code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="departments", verbose_name=_("région")
    )

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Epci(models.Model):
    """An EPCI à fiscalité propre (CC, CA, CU, métropole), by SIREN number."""

    class Kind(models.TextChoices):
        CC = "CC", _("Communauté de communes")
        CA = "CA", _("Communauté d'agglomération")
        CU = "CU", _("Communauté urbaine")
        METRO = "METRO", _("Métropole")
        MET69 = "MET69", _("Métropole de Lyon")

    code = models.CharField(_("numéro SIREN"), max_length=9, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=5, choices=Kind.choices)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        verbose_name = _("EPCI")
        verbose_name_plural = _("EPCI")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    """A current commune, with its town-hall point for the map where a source gives it."""

    code = models.CharField(_("code INSEE"), max_length=5, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="communes",
        verbose_name=_("département"),
    )
    epci = models.ForeignKey(
        Epci,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communes",
        verbose_name=_("EPCI"),
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    postcodes = ArrayField(
        models.CharField(max_length=5), verbose_name=_("codes postaux"), default=list, blank=True
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    density_level = models.PositiveSmallIntegerField(
        _("niveau de densité INSEE"),
        null=True,
        blank=True,
        help_text=_(
            "Grille communale de densité à 7 niveaux (1 : grands centres urbains … "
            "7 : rural à habitat très dispersé)."
        ),
    )

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]
        indexes = [
            # The place search: by postcode, and by name as one types (accents aside).
            GinIndex(fields=["postcodes"], name="commune_postcodes"),
            GinIndex(OpClass(Unaccented("name"), name="gin_trgm_ops"), name="commune_name_trgm"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.department_code})"

    @property
    def department_code(self) -> str:
        """The department's code, read from the INSEE code without a query."""
        return self.code[:3] if self.code.startswith("97") else self.code[:2]


class Theme(models.Model):
    """A theme of the programme: the thread that ties surveys, workshops, mementos and practices."""

    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class FundingMeasure(models.Model):
    """A measure of the regional rural development programmes (FEADER, Reg. (EU) 1305/2013)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    article = models.CharField(_("article du règlement"), max_length=50)
    name = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("mesure de financement")
        verbose_name_plural = _("mesures de financement")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Setting(models.TextChoices):
    """Where a structure or territory stands on the rural–urban gradient."""

    URBAN = "urban", _("urbain")
    PERI_URBAN = "peri_urban", _("périurbain")
    RURAL = "rural", _("rural")


def setting_for_density(level: int | None) -> str | None:
    """INSEE's 7-level density grid → setting: 1–2 urban, 3–4 peri-urban, 5–7 rural."""
    if level is None:
        return None
    if level <= 2:
        return Setting.URBAN
    if level <= 4:
        return Setting.PERI_URBAN
    return Setting.RURAL


def other_side(setting: str | None) -> list[str]:
    """The settings across the rural–urban divide from ``setting``."""
    if setting == Setting.RURAL:
        return [Setting.URBAN, Setting.PERI_URBAN]
    if setting in (Setting.URBAN, Setting.PERI_URBAN):
        return [Setting.RURAL]
    return []
