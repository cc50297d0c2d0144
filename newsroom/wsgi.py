"""WSGI entry point of the newsroom host project."""

import os

from django.core.wsgi import get_wsgi_application

from newsroom.startup import refuse_to_start_misconfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")


application = get_wsgi_application()
refuse_to_start_misconfigured()
