"""sitemap.xml: the published pages only (an index, then one file per kind)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from clusters.models import DirectoryEntry, Practice
from events.models import Event
from mementos.models import Memento, Monograph
from reference.models import Theme
from surveys.models import Survey


class StaticSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return [
            "home", "about", "clusters:directory", "clusters:practice_list", "clusters:map",
            "mementos:list", "events:agenda", "theme_list", "surveys:index", "legal",
            "privacy", "accessibility",
        ]  # fmt: skip

    def location(self, item):
        return reverse(item)


class EntrySitemap(Sitemap):
    changefreq = "monthly"
    limit = 10_000

    def items(self):
        return (
            DirectoryEntry.objects.published()
            .only("pk", "slug", "category", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.updated_at


class PracticeSitemap(Sitemap):
    changefreq = "monthly"
    limit = 10_000

    def items(self):
        return Practice.objects.published().only("pk", "slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class MementoSitemap(Sitemap):
    def items(self):
        return Memento.objects.published().only("pk", "slug", "updated_at").order_by("number")

    def lastmod(self, item):
        return item.updated_at


class MonographSitemap(Sitemap):
    def items(self):
        return (
            Monograph.objects.filter(memento__status=Memento.Status.PUBLISHED)
            .select_related("memento")
            .only("pk", "slug", "memento__slug")
            .order_by("pk")
        )


class EventSitemap(Sitemap):
    def items(self):
        return Event.objects.published().only("pk", "slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class ThemeSitemap(Sitemap):
    def items(self):
        return Theme.objects.only("pk", "slug")

    def location(self, item):
        return reverse("theme_detail", args=[item.slug])


class SurveyResultsSitemap(Sitemap):
    def items(self):
        return Survey.objects.published_results().only("pk", "slug").order_by("pk")

    def location(self, item):
        return item.get_results_url()


SITEMAPS = {
    "pages": StaticSitemap,
    "annuaire": EntrySitemap,
    "pratiques": PracticeSitemap,
    "mementos": MementoSitemap,
    "monographies": MonographSitemap,
    "agenda": EventSitemap,
    "themes": ThemeSitemap,
    "enquetes": SurveyResultsSitemap,
}
