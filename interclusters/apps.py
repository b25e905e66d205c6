from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig
from django.utils.translation import gettext_lazy as _


class InterclustersConfig(AppConfig):
    default = True
    name = "interclusters"
    verbose_name = _("Comptes et site")


class StaticFilesConfig(BaseStaticFilesConfig):
    """Django's static files, minus the files of third-party packages that point to
    source maps they do not ship (hashed storage would refuse them). The portal uses
    the unminified markercluster script, whose map is present."""

    ignore_patterns = [
        *BaseStaticFilesConfig.ignore_patterns,
        "leaflet.markercluster.js",
        "leaflet-src.esm.js",
        "leaflet-src.esm.js.map",
    ]
