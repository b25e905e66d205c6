"""WSGI entry point: gunicorn interclusters.wsgi."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interclusters.settings")

application = get_wsgi_application()
