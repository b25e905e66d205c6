import secrets

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    """Users are known by their email address, compared without regard to case."""

    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        return (email or "").strip().lower()

    def get_by_natural_key(self, username: str) -> "User":
        return self.get(email__iexact=self.normalize_email(username))

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account: network member, structure representative or staff."""

    username = None
    email = models.EmailField(
        _("adresse e-mail"),
        max_length=254,
        unique=True,
        error_messages={"unique": _("Un compte existe déjà avec cette adresse e-mail.")},
    )
    organisation_name = models.CharField(
        _("structure"),
        max_length=200,
        blank=True,
        help_text=_("La structure pour laquelle vous travaillez, si vous le souhaitez."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ci",
                violation_error_message=_("Un compte existe déjà avec cette adresse e-mail."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs) -> None:
        self.email = UserManager.normalize_email(self.email)
        super().save(*args, **kwargs)


def alert_token() -> str:
    """The secret of an alert's one-click unsubscribe link (256 random bits)."""
    return secrets.token_urlsafe(32)


class SavedSearch(models.Model):
    """A search a member keeps (its query string) and the digest of what is new in it,
    daily or weekly; or, for a structure's representative, its new potential partners."""

    class Kind(models.TextChoices):
        DIRECTORY = "directory", _("annuaire")
        PRACTICES = "practices", _("pratiques")
        AGENDA = "agenda", _("agenda")
        PARTNERS = "partners", _("partenaires potentiels")

    class Frequency(models.TextChoices):
        DAILY = "daily", _("chaque jour")
        WEEKLY = "weekly", _("chaque semaine")

    user = models.ForeignKey(
        "interclusters.User",
        on_delete=models.CASCADE,
        related_name="saved_searches",
        verbose_name=_("personne"),
    )
    kind = models.CharField(_("sur"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("nom de l'alerte"), max_length=120)
    query = models.CharField(_("recherche"), max_length=2000, blank=True)
    entry = models.ForeignKey(
        "clusters.DirectoryEntry",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("structure suivie"),
    )
    frequency = models.CharField(
        _("fréquence"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    token = models.CharField(max_length=64, unique=True, default=alert_token, editable=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    # What is new is what was published after this moment (the last digest's).
    checked_at = models.DateTimeField(_("dernier envoi"), default=timezone.now)

    class Meta:
        verbose_name = _("alerte")
        verbose_name_plural = _("alertes")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["frequency", "checked_at"], name="alert_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "query", "entry"],
                name="alert_unique_per_person",
                nulls_distinct=False,
                violation_error_message=_("Vous avez déjà une alerte pour cette recherche."),
            )
        ]

    def __str__(self) -> str:
        return self.name
