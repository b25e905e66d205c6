from django.apps import AppConfig


class DevdataConfig(AppConfig):
    """Demo content and scale generators: installed only with DEV_TOOLS (on by default
    with DEBUG), never on a production site."""

    default = True
    name = "devdata"
    verbose_name = "Development data"
