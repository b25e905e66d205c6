from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferenceConfig(AppConfig):
    default = True
    name = "reference"
    verbose_name = _("Données de référence")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from reference.models import FundingMeasure, Theme
        from reference.selectors import forget_kept

        for model in (Theme, FundingMeasure):
            for signal in (post_save, post_delete):
                signal.connect(forget_kept, sender=model, dispatch_uid=f"kept-{model.__name__}")
