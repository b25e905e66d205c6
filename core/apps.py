from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True
    name = "core"
    verbose_name = _("Outils communs")

    def ready(self) -> None:
        from core.pagecache import connect_signals

        connect_signals()
