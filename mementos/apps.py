from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MementosConfig(AppConfig):
    name = "mementos"
    verbose_name = _("Mémentos")
