"""Settings of the newsroom host project: every value comes from the environment, with demo defaults.

Production sets at least DEBUG=False, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, HTTPS=True
(and REDIS_URL when several app servers share a cache); `manage.py check --deploy` then
reports no issue.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default="False"):
    """True or False, in any case ("true", "FALSE"); anything else stops the start with a
    message naming the variable, rather than silently reading as False."""
    value = os.environ.get(name, "").strip() or str(default)
    if value.lower() not in ("true", "false"):
        raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")
    return value.lower() == "true"


def env_list(name, default=""):
    return [value.strip() for value in os.environ.get(name, default).split(",") if value.strip()]


DEBUG = env_bool("DEBUG")
# The default key is only good for the demo: `check --deploy` flags it (security.W009), and
# the app servers refuse to start on it with DEBUG off (newsroom.wsgi, newsroom.asgi), since
# anyone could sign a preview link to any draft with a published key.
DEMO_SECRET_KEY = "django-insecure-summits-demo-key-change-me-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY") or DEMO_SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "adminsortable2",
    "django_prose_editor",
    "django_countries",
    "reversion",
    "reversion_compare",
    "parler",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "summits",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"].get("ENGINE") == "django.db.backends.postgresql":
    # A database that is down or hung costs a request seconds, never a worker for good: the
    # connection attempt, each statement and an unanswered socket all have a limit. A request
    # that meets one gets a 503 (newsroom.health.server_error).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": int(os.environ.get("DB_CONNECT_TIMEOUT", "3")),
            "options": "-c statement_timeout={}".format(
                int(os.environ.get("DB_STATEMENT_TIMEOUT_MS", "15000"))
            ),
            "keepalives": 1,
            "keepalives_idle": 10,
            "keepalives_interval": 3,
            "keepalives_count": 3,
            "tcp_user_timeout": int(os.environ.get("DB_SOCKET_TIMEOUT_MS", "10000")),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_cache_url = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL")
if _cache_url:
    CACHES = {
        "default": {
            # Redis as a cache, not a dependency: down or hung, the site serves uncached.
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": _cache_url,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "summits"),
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.25")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.25")),
                "RETRY_AFTER": float(os.environ.get("REDIS_RETRY_AFTER", "5")),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The admin login locks a username at one address after LOGIN_FAILURE_LIMIT failed attempts,
# for LOGIN_LOCKOUT_MINUTES (django-axes; attempts are kept in the database and in the admin).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
# Username and address together: a stranger guessing cannot lock an editor out everywhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "newsroom.security.lockout_response"
if env_bool("BEHIND_PROXY"):
    AXES_CLIENT_IP_CALLABLE = "newsroom.security.forwarded_client_ip"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
# Participants' and topics' names are kept per language (django-parler): one admin tab per
# language, and where a name lacks a translation, the default language's is shown.
PARLER_LANGUAGES = {
    # The default language's tab first: it is the one a form opens on.
    None: tuple(
        {"code": code}
        for code, _name in sorted(LANGUAGES, key=lambda language: language[0] != LANGUAGE_CODE)
    ),
    "default": {"fallbacks": [LANGUAGE_CODE], "hide_untranslated": False},
}
# Off: pages load the names with their rows (prefetched) and are cached whole. Parler's own
# cache would add a cache write for every name read, and hide a missing prefetch from the
# query budgets of the tests.
PARLER_ENABLE_CACHING = False
# The host project's own strings (admin title, lockout page); the plugin ships its own.
LOCALE_PATHS = [BASE_DIR / "newsroom" / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "STATICFILES_BACKEND",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# Content Security Policy: nothing inline without the per-request nonce. The style hash is
# the one <style> block the prose editor injects (django-prose-editor 0.28.0).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE, "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

HTTPS = env_bool("HTTPS")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", str(HTTPS))
if env_bool("BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        # While the database is away, one logged failure a minute instead of one a request.
        "database_outage": {"()": "newsroom.logfilters.DatabaseOutageOncePerInterval"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.request": {"filters": ["database_outage"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# How many fields one request may send (Django's default is 1,000, a summit of about 15 items).
# The summit form of the most items it takes (SUMMITS["MAX_ITEMS_PER_KIND"], 400 of each kind)
# sends about 60 fields an item: 48,000. Raise the two together, never one apart. Forged row
# counts cost nothing here: the summit form builds no more rows than a request sends.
DATA_UPLOAD_MAX_NUMBER_FIELDS = int(os.environ.get("DATA_UPLOAD_MAX_NUMBER_FIELDS", "50000"))

# The plugin's own settings; every key is optional (see summits/conf.py for the defaults).
SUMMITS = {}

# The partner API (summits.api): keys carry their own rate; this one serves keys without.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"partner": "600/hour"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Summits partner API",
    "DESCRIPTION": "Published summits with their agreements and disputes, for partner newsrooms.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from our own static files: no CDN, and our CSP allows only 'self'.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
