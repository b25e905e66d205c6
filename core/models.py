"""Tables of the shared toolbox: the content versions behind the page cache, the
vocabulary behind the search's typo correction, the review fields that moderated
models share, the outbox of emails and the rate limits' counters."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _


class ContentVersion(models.Model):
    """One row per kind of content (the directory, events, surveys, mementos, accounts)
    whose counter grows whenever that content may have changed. Cached copies of public
    pages carry the counters of the kinds they show, so a change on any instance retires
    the pages that show it, and only those (see core.pagecache)."""

    kind = models.CharField(max_length=20, unique=True)
    counter = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("version du contenu")
        verbose_name_plural = _("versions du contenu")

    def __str__(self) -> str:
        return f"{self.kind} {self.counter}"


class SearchWord(models.Model):
    """The vocabulary of published content (unaccented, lower case), to correct typos
    in searches by trigram similarity."""

    word = models.CharField(max_length=100, unique=True)
    # Its French stem: a word whose stem is known is in the index, never "corrected".
    lexeme = models.CharField(max_length=100, null=True, blank=True)

    class Meta:
        verbose_name = _("mot du vocabulaire")
        verbose_name_plural = _("vocabulaire de recherche")
        indexes = [
            GinIndex(OpClass("word", name="gin_trgm_ops"), name="searchword_trgm"),
            models.Index(fields=["lexeme"], name="searchword_lexeme"),
        ]

    def __str__(self) -> str:
        return self.word


_CHOICE_LABELS: dict = {}


class ChoiceLabels(models.Model):
    """``get_FOO_display()`` in one dictionary lookup. Django's own rebuilds a dictionary
    of every choice (made hashable, lazy labels included) at each call: twenty cards of
    a list with three labels each spent more time there than in their SQL."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        labels = _CHOICE_LABELS.get(field)
        if labels is None:
            labels = _CHOICE_LABELS[field] = dict(field.flatchoices)
        value = getattr(self, field.attname)
        try:
            label = labels.get(value, value)
        except TypeError:  # an unhashable value (a list, a dict)
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)


class Reviewed(models.Model):
    """What staff record when they decide on something submitted to them (a change to an
    entry, a proposal to a call): the note sent to its author, who decided and when."""

    review_note = models.TextField(_("note de relecture"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("relu par"),
    )
    reviewed_at = models.DateTimeField(_("relu le"), null=True, blank=True)

    class Meta:
        abstract = True

    def record_review(self, *, reviewer, status: str, note: str = "") -> None:
        """Set the decision, the note and who took it, and save them."""
        self.status = status
        self.review_note = note
        self.reviewed_by, self.reviewed_at = reviewer, timezone.now()
        self.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])


class EmailBatch(models.Model):
    """A bulk send (invitations to a survey, reminders, a message to a workshop): its
    progress is that of its emails."""

    label = models.CharField(_("envoi"), max_length=300)
    total = models.PositiveIntegerField(_("messages prévus"), default=0)
    # What the send left out and why (structures without an address…).
    remarks = models.TextField(_("remarques"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )
    created_at = models.DateTimeField(_("lancé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("envoi groupé")
        verbose_name_plural = _("envois groupés")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label


class OutgoingEmail(models.Model):
    """One email of the portal, written in the same transaction as the change that causes
    it, then delivered by the worker, with retries (see core.mail)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("à envoyer")
        SENT = "sent", _("envoyé")
        FAILED = "failed", _("échec définitif")
        SKIPPED = "skipped", _("doublon, non envoyé")

    template = models.CharField(_("modèle"), max_length=100)
    to = models.EmailField(_("destinataire"), max_length=254)
    subject = models.CharField(_("objet"), max_length=300)
    text = models.TextField(_("texte"))
    html = models.TextField(_("HTML"), blank=True)
    attachments = models.JSONField(_("pièces jointes"), default=list, blank=True)
    reply_to = models.EmailField(_("répondre à"), max_length=254, blank=True)
    headers = models.JSONField(_("en-têtes"), default=dict, blank=True)
    # Repeats of one topic with the same content are sent once (see core.mail).
    topic = models.CharField(_("sujet"), max_length=200, db_index=True)
    fingerprint = models.CharField(max_length=64)
    # Who is told of the delivery: "app_label.name:id", see core.mail.on_delivery.
    ref = models.CharField(_("référence"), max_length=100, blank=True, db_index=True)
    batch = models.ForeignKey(
        EmailBatch,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("envoi groupé"),
    )
    status = models.CharField(
        _("état"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    next_attempt_at = models.DateTimeField(_("prochain essai"), default=timezone.now)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails envoyés par le portail")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="outgoing_due",
            ),
            models.Index(fields=["to", "topic", "-created_at"], name="outgoing_topic"),
            models.Index(fields=["batch", "status"], name="outgoing_batch"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class Counter(models.Model):
    """A counter that expires, for the rate limits of every process (core.cache)."""

    key = models.CharField(max_length=255, primary_key=True)
    value = models.BigIntegerField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("compteur")
        verbose_name_plural = _("compteurs")

    def __str__(self) -> str:
        return f"{self.key} = {self.value}"


class ExportFile(models.Model):
    """An export too big to make during a request: prepared by the worker, kept for
    EXPORT_FILE_HOURS hours, readable only by the person who asked (their account, or
    the browser session of a visitor). See core.exports."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("en attente")
        RUNNING = "running", _("en préparation")
        READY = "ready", _("prêt")
        FAILED = "failed", _("échec")

    token = models.CharField(max_length=64, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("demandé par"),
    )
    session_key = models.CharField(max_length=64, blank=True)
    label = models.CharField(_("export"), max_length=300)
    # What makes the file: a function path of an app's exports module, its arguments,
    # the query string of the page and the format.
    builder = models.CharField(max_length=200)
    arguments = models.JSONField(default=dict, blank=True)
    query = models.TextField(blank=True)
    format = models.CharField(max_length=10)
    language = models.CharField(max_length=10, default="fr")
    base_url = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        _("état"), max_length=8, choices=Status.choices, default=Status.WAITING
    )
    rows_total = models.PositiveIntegerField(_("lignes"), default=0)
    rows_done = models.PositiveIntegerField(_("lignes écrites"), default=0)
    file = models.FileField(upload_to="exports/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    # Open data: the download says its licence (core.licences).
    licensed = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("disponible jusqu'au"), db_index=True)

    class Meta:
        verbose_name = _("export préparé")
        verbose_name_plural = _("exports préparés")

    def __str__(self) -> str:
        return self.label

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.WAITING, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))
