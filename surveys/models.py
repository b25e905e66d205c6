import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.models import DirectoryEntry
from core.exports import french_number
from reference.models import Theme


def hash_token(token: str) -> str:
    """Links are looked up by the digest of their token, never by the token itself, so
    that the time a lookup takes tells nothing about any valid link."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class SurveyQuerySet(models.QuerySet):
    def published_results(self) -> "SurveyQuerySet":
        return self.filter(results_public=True).exclude(status=Survey.Status.DRAFT)


class Survey(models.Model):
    """A questionnaire sent to clusters, to territories, or to both."""

    class Audience(models.TextChoices):
        STRUCTURES = "structures", _("clusters et structures")
        TERRITORIES = "territories", _("territoires")
        BOTH = "both", _("structures et territoires")

    class Status(models.TextChoices):
        DRAFT = "draft", _("en préparation")
        OPEN = "open", _("ouverte")
        CLOSED = "closed", _("close")

    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=220, unique=True)
    audience = models.CharField(_("public"), max_length=12, choices=Audience.choices)
    status = models.CharField(_("état"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    opens_at = models.DateTimeField(_("ouverture"))
    closes_at = models.DateTimeField(_("clôture"))
    intro = models.TextField(_("introduction"), help_text=_("Markdown accepté."))
    thank_you = models.TextField(_("remerciements"), help_text=_("Markdown accepté."))
    results_public = models.BooleanField(
        _("résultats publiés"),
        default=False,
        help_text=_("Publie les résultats agrégés (jamais les réponses individuelles)."),
    )
    results_summary = models.TextField(
        _("synthèse des résultats"), blank=True, help_text=_("Markdown accepté.")
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("enquête")
        verbose_name_plural = _("enquêtes")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="survey_closes_after_opening",
                violation_error_message=_("La clôture précède l'ouverture."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN and self.opens_at <= timezone.now() <= self.closes_at

    @property
    def not_yet_open(self) -> bool:
        return self.status != self.Status.CLOSED and timezone.now() < self.opens_at

    def get_results_url(self) -> str:
        return reverse("surveys:results", kwargs={"slug": self.slug})


class ConditionMode(models.TextChoices):
    ALL = "all", _("toutes les conditions")
    ANY = "any", _("au moins une des conditions")


class Section(models.Model):
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="sections", verbose_name=_("enquête")
    )
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("présentation"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    condition_mode = models.CharField(
        _("posée si"), max_length=3, choices=ConditionMode.choices, default=ConditionMode.ALL,
        help_text=_(
            "Avec des conditions : la section entière est passée quand elles ne sont pas "
            "remplies."
        ),
    )  # fmt: skip

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.survey} — {self.title}"


class Question(models.Model):
    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("texte court")
        LONG_TEXT = "long_text", _("texte long")
        INTEGER = "integer", _("nombre entier")
        DECIMAL = "decimal", _("nombre décimal")
        SINGLE = "single", _("choix unique (boutons)")
        SINGLE_LIST = "single_list", _("choix unique (liste)")
        MULTIPLE = "multiple", _("choix multiple")
        SCALE = "scale", _("échelle")
        YES_NO = "yes_no", _("oui / non")
        DATE = "date", _("date")
        EMAIL = "email", _("adresse e-mail")
        URL = "url", _("adresse web")
        GRID = "grid", _("grille (même échelle sur plusieurs lignes)")
        RANKING = "ranking", _("classement")

    class TextFormat(models.TextChoices):
        """Formats a short text must follow (a fixed list: no pattern typed by hand)."""

        POSTCODE = "postcode", _("code postal (5 chiffres)")
        PHONE = "phone", _("téléphone français (10 chiffres)")
        SIRET = "siret", _("SIRET (14 chiffres)")

    CHOICE_KINDS = {Kind.SINGLE, Kind.SINGLE_LIST, Kind.MULTIPLE}
    # Kinds whose choices are picked in several places: a grid's columns (one per row),
    # a ranking's items (each with its rank).
    PLACED_KINDS = {Kind.GRID, Kind.RANKING}
    TEXT_KINDS = {Kind.SHORT_TEXT, Kind.LONG_TEXT}
    NUMBER_KINDS = {Kind.INTEGER, Kind.DECIMAL, Kind.SCALE}

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="questions", verbose_name=_("section")
    )
    code = models.SlugField(
        _("code"), max_length=40, help_text=_("Court et stable : il nomme la colonne des exports.")
    )
    label = models.CharField(_("question"), max_length=400)
    help_text = models.CharField(_("aide"), max_length=400, blank=True)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    required = models.BooleanField(_("obligatoire"), default=False)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    allow_other = models.BooleanField(
        _("« Autre (précisez) »"),
        default=False,
        help_text=_("Ajoute un choix « Autre » avec un champ à préciser."),
    )
    min_choices = models.PositiveSmallIntegerField(_("choix au moins"), null=True, blank=True)
    max_choices = models.PositiveSmallIntegerField(_("choix au plus"), null=True, blank=True)
    scale_min = models.SmallIntegerField(_("échelle : de"), default=1)
    scale_max = models.SmallIntegerField(_("échelle : à"), default=5)
    scale_min_label = models.CharField(_("libellé du minimum"), max_length=60, blank=True)
    scale_max_label = models.CharField(_("libellé du maximum"), max_length=60, blank=True)
    number_min = models.DecimalField(
        _("nombre : au moins"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    number_max = models.DecimalField(
        _("nombre : au plus"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    text_format = models.CharField(
        _("format du texte"), max_length=10, choices=TextFormat.choices, blank=True,
        help_text=_("Pour un texte court : la réponse doit suivre ce format."),
    )  # fmt: skip
    condition_choice = models.ForeignKey(
        "Choice",
        # A choice others depend on cannot go alone, but goes with its whole survey.
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="dependent_questions",
        verbose_name=_("affichée seulement si la réponse comprend"),
        help_text=_("Un choix d'une question précédente de l'enquête."),
    )
    condition_mode = models.CharField(
        _("affichée si"), max_length=3, choices=ConditionMode.choices, default=ConditionMode.ALL,
    )  # fmt: skip

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["section__position", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min")),
                name="question_scale_in_order",
                violation_error_message=_("Le maximum de l'échelle doit dépasser le minimum."),
            ),
            models.CheckConstraint(
                condition=models.Q(number_min__isnull=True)
                | models.Q(number_max__isnull=True)
                | models.Q(number_max__gte=models.F("number_min")),
                name="question_number_bounds_in_order",
                violation_error_message=_("Le nombre maximum doit être au moins le minimum."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def has_choices(self) -> bool:
        """Whether the editor gives it choices (a grid's columns, a ranking's items)."""
        return self.kind in self.CHOICE_KINDS or self.kind in self.PLACED_KINDS

    @property
    def is_choice(self) -> bool:
        return self.kind in self.CHOICE_KINDS

    @property
    def is_text(self) -> bool:
        return self.kind in self.TEXT_KINDS

    @property
    def is_number(self) -> bool:
        return self.kind in self.NUMBER_KINDS


class Rule(models.Model):
    """One condition on an earlier answer, of a question or of a whole section (which is
    then skipped when its conditions do not hold). Several combine by the owner's
    ``condition_mode``: all of them, or any."""

    class Operator(models.TextChoices):
        INCLUDES = "includes", _("la réponse comprend le choix")
        EXCLUDES = "excludes", _("la réponse ne comprend pas le choix")
        YES = "yes", _("la réponse est « oui »")
        NO = "no", _("la réponse est « non »")
        EQ = "eq", _("le nombre est égal à")
        GT = "gt", _("le nombre est supérieur à")
        GTE = "gte", _("le nombre est au moins")
        LT = "lt", _("le nombre est inférieur à")
        LTE = "lte", _("le nombre est au plus")
        ANSWERED = "answered", _("la question a une réponse")

    CHOICE_OPERATORS = {Operator.INCLUDES, Operator.EXCLUDES}
    NUMBER_OPERATORS = {Operator.EQ, Operator.GT, Operator.GTE, Operator.LT, Operator.LTE}

    question = models.ForeignKey(
        "Question", on_delete=models.CASCADE, null=True, blank=True, related_name="rules",
        verbose_name=_("question conditionnée"),
    )  # fmt: skip
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, null=True, blank=True, related_name="rules",
        verbose_name=_("section conditionnée"),
    )  # fmt: skip
    source = models.ForeignKey(
        "Question", on_delete=models.RESTRICT, related_name="dependent_rules",
        verbose_name=_("si, à la question"),
        help_text=_("Une question posée avant, dans la même enquête."),
    )  # fmt: skip
    operator = models.CharField(_("condition"), max_length=10, choices=Operator.choices)
    choice = models.ForeignKey(
        "Choice", on_delete=models.RESTRICT, null=True, blank=True, related_name="rules",
        verbose_name=_("choix"),
    )  # fmt: skip
    number = models.DecimalField(
        _("nombre"), max_digits=14, decimal_places=4, null=True, blank=True
    )

    class Meta:
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(question__isnull=False, section__isnull=True)
                | models.Q(question__isnull=True, section__isnull=False),
                name="rule_one_owner",
            )
        ]

    def __str__(self) -> str:
        """« cooperent : la réponse comprend le choix « Oui » »."""
        text = f"{self.source.code} : {self.get_operator_display()}"
        if self.choice_id:
            text += f" « {self.choice.label} »"
        elif self.number is not None:
            text += " " + french_number(self.number)
        return text


class Choice(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    label = models.CharField(_("libellé"), max_length=200)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("choix")
        verbose_name_plural = _("choix")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.question.code} : {self.label}"


class GridRow(models.Model):
    """One line of a grid question: each line is answered on the question's scale (its
    choices)."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="rows", verbose_name=_("question")
    )
    label = models.CharField(_("libellé"), max_length=200)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("ligne de grille")
        verbose_name_plural = _("lignes de grille")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.question.code} : {self.label}"


class Invitation(models.Model):
    """A structure's personal link to answer a survey."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("enquête")
    )
    entry = models.ForeignKey(
        DirectoryEntry,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("structure ou territoire"),
    )
    email = models.EmailField(_("adresse e-mail"))
    # Kept so that reminders carry the same link; looked up only through its digest.
    token = models.CharField(max_length=64, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("relancée le"), null=True, blank=True)
    opened_at = models.DateTimeField(_("ouverte le"), null=True, blank=True)
    started_at = models.DateTimeField(_("commencée le"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("envoyée en réponse le"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("dernier e-mail remis le"), null=True, blank=True)
    delivery_error = models.CharField(_("erreur d'envoi"), max_length=500, blank=True)
    withdrawn_at = models.DateTimeField(_("retirée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "entry"], name="invitation_one_per_entry")
        ]

    def __str__(self) -> str:
        return f"{self.entry} — {self.survey}"

    def new_token(self) -> str:
        """Give the invitation a fresh secret link (256 random bits); the old one stops
        working."""
        self.token = secrets.token_urlsafe(32)
        self.token_hash = hash_token(self.token)
        return self.token


class Response(models.Model):
    """One structure's answers to a survey: a draft until it is submitted, once."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        SUBMITTED = "submitted", _("envoyée")

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("enquête")
    )
    entry = models.ForeignKey(
        DirectoryEntry,
        on_delete=models.PROTECT,
        related_name="survey_responses",
        verbose_name=_("structure ou territoire"),
    )
    invitation = models.ForeignKey(
        Invitation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name=_("invitation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("répondant"),
    )
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    last_section = models.PositiveSmallIntegerField(_("dernière section vue"), default=1)
    started_at = models.DateTimeField(_("commencée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)
    submitted_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        ordering = ["-submitted_at", "-started_at"]
        constraints = [
            # One response per structure and survey: two tabs, a double click or two
            # requests at once still meet on the same row.
            models.UniqueConstraint(fields=["survey", "entry"], name="response_one_per_entry")
        ]
        indexes = [models.Index(fields=["survey", "status"], name="response_survey_status")]

    def __str__(self) -> str:
        return f"{self.entry} — {self.survey}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Answer(models.Model):
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("réponse")
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question")
    )
    text = models.TextField(_("texte"), blank=True)
    number = models.DecimalField(
        _("nombre"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    date = models.DateField(_("date"), null=True, blank=True)
    boolean = models.BooleanField(_("oui / non"), null=True, blank=True)
    choices = models.ManyToManyField(
        Choice, blank=True, related_name="answers", through="AnswerChoice", verbose_name=_("choix")
    )
    other = models.CharField(_("autre (précisé)"), max_length=300, blank=True)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="survey_answers", verbose_name=_("thèmes remontés")
    )
    quotable = models.BooleanField(
        _("citable"),
        default=False,
        help_text=_("Peut être cité, sans le nom de la structure, dans les résultats publiés."),
    )

    class Meta:
        verbose_name = _("réponse à une question")
        verbose_name_plural = _("réponses aux questions")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_one_per_question")
        ]
        indexes = [
            models.Index(fields=["question", "response"], name="answer_question_response"),
            # The numbers' mean, median and bounds per question read from the index alone
            # (72,000 numbers at 5,000 responses: 100 → 48 ms).
            models.Index(
                fields=["question"],
                include=["response", "number"],
                condition=models.Q(number__isnull=False),
                name="answer_question_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.code}"


class AnswerChoice(models.Model):
    """A choice picked: for a grid, on one of its rows; for a ranking, at a rank."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="picked")
    choice = models.ForeignKey(Choice, on_delete=models.PROTECT, related_name="picked")
    row = models.ForeignKey(
        GridRow, on_delete=models.PROTECT, null=True, blank=True, related_name="picked"
    )
    rank = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("choix coché")
        verbose_name_plural = _("choix cochés")
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "row", "choice"], nulls_distinct=False,
                name="answerchoice_unique",
            ),
            # One column per grid row, one item per rank.
            models.UniqueConstraint(
                fields=["answer", "row"], condition=models.Q(row__isnull=False),
                name="answerchoice_one_per_row",
            ),
            models.UniqueConstraint(
                fields=["answer", "rank"], condition=models.Q(rank__isnull=False),
                name="answerchoice_one_per_rank",
            ),
        ]  # fmt: skip
        indexes = [models.Index(fields=["choice", "answer"], name="answerchoice_choice")]

    def __str__(self) -> str:
        return str(self.choice)
