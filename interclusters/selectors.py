"""Site-wide reads."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache

from clusters.models import Commune, Department, Region, Theme
from interclusters.db import count_many

DEMO_CACHE_KEY = "interclusters:demo-data-loaded"


def home_key_figures() -> dict[str, int]:
    """The figures the home page shows, read from the database in one query."""
    return count_many(
        themes=Theme.objects.all(),
        regions=Region.objects.all(),
        departments=Department.objects.all(),
        communes=Commune.objects.all(),
        members=get_user_model().objects.filter(is_active=True),
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
