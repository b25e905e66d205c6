"""Tables of the shared toolbox: the content version behind the page cache, and the
vocabulary behind the search's typo correction."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
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

    class Meta:
        verbose_name = _("mot du vocabulaire")
        verbose_name_plural = _("vocabulaire de recherche")
        indexes = [
            GinIndex(OpClass("word", name="gin_trgm_ops"), name="searchword_trgm"),
        ]

    def __str__(self) -> str:
        return self.word
