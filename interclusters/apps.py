from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig
from django.utils.translation import gettext_lazy as _


class InterclustersConfig(AppConfig):
    default = True
    name = "interclusters"
    verbose_name = _("Comptes et site")

    def ready(self) -> None:
        from allauth.account.signals import password_reset
        from allauth.mfa.signals import authenticator_removed, authenticator_reset

        from interclusters import accounts, services

        password_reset.connect(services.address_confirmed_by_reset, dispatch_uid="reset-verifies")
        for signal in (authenticator_removed, authenticator_reset):
            signal.connect(accounts.forget_second_factor, dispatch_uid="forget-second-factor")


class StaticFilesConfig(BaseStaticFilesConfig):
    """Django's static files, minus the third-party files the portal never serves: the
    ES-module and unminified builds of Leaflet and markercluster."""

    ignore_patterns = [
        *BaseStaticFilesConfig.ignore_patterns,
        "leaflet-src.esm.js",
        "leaflet-src.esm.js.map",
        "leaflet-src.js",
        "leaflet-src.js.map",
        "leaflet.markercluster-src.js",
        "leaflet.markercluster-src.js.map",
    ]
