"""Site-wide reads."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache

from clusters.models import DirectoryEntry, Practice, Theme
from interclusters.db import count_many

DEMO_CACHE_KEY = "interclusters:demo-data-loaded"


def home_key_figures() -> dict[str, int]:
    """The figures the home page shows, read from the database in one query."""
    return count_many(
        structures=DirectoryEntry.objects.published().structures(),
        territories=DirectoryEntry.objects.published().territories(),
        practices=Practice.objects.published(),
        rural_urban=Practice.objects.published().filter(rural_urban=True),
        themes=Theme.objects.all(),
        members=get_user_model().objects.filter(is_active=True),
    )


def latest_practices(limit: int = 3):
    """The practices published last, for the home page."""
    return list(
        Practice.objects.published()
        .defer("search_vector", "body")
        .order_by("-published_at", "-pk")
        .prefetch_related("themes")[:limit]
    )


def demo_data_loaded() -> bool:
    """Whether the demo accounts exist (cached: the banner shows on every page)."""
    return cache.get_or_set(
        DEMO_CACHE_KEY,
        lambda: (
            get_user_model()
            .objects.filter(email__endswith="@" + settings.DEMO_EMAIL_DOMAIN)
            .exists()
        ),
        timeout=300,
    )
