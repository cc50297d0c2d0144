"""ASGI entry point of the newsroom host project."""

import os

from django.core.asgi import get_asgi_application

from newsroom.startup import refuse_the_demo_key_in_production

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_asgi_application()
refuse_the_demo_key_in_production()
