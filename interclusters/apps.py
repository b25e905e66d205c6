from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterclustersConfig(AppConfig):
    name = "interclusters"
    verbose_name = _("Comptes et site")
