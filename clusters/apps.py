from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClustersConfig(AppConfig):
    name = "clusters"
    verbose_name = _("Annuaire et référentiels")

    def ready(self) -> None:
        from clusters.totals import connect_signals

        connect_signals()
