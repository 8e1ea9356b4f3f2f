"""WSGI entry point (gunicorn thuvien.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuvien.settings")
application = get_wsgi_application()
