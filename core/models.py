"""Tables of the shared toolbox: the content version behind the page cache, the
vocabulary behind the search's typo correction, and the review fields that moderated
models share."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ContentVersion(models.Model):
    """One row whose counter grows whenever published content may have changed. Cached
    copies of public pages carry the counter they were made at, so a change anywhere,
    on any instance, retires them all (see core.pagecache)."""

    counter = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("version du contenu")
        verbose_name_plural = _("versions du contenu")

    def __str__(self) -> str:
        return str(self.counter)


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
