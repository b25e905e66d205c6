from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferenceConfig(AppConfig):
    default = True
    name = "reference"
    verbose_name = _("Données de référence")
