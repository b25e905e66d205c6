"""Settings for the Interclusters portal, read from the environment.

Every value that differs between machines comes from an environment variable (see the
README's table). Defaults are safe for production; ``DEBUG=1`` relaxes them for
development. Without ``DATABASE_URL`` the project-local PostgreSQL cluster that ``make``
starts is used.
"""

from pathlib import Path

import environ
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from interclusters import localdb

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "value (python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The public address, for links in emails and calendar files (sent outside a request,
# by the worker): required in production, where a wrong default would send people
# to a site that is not there.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not SITE_URL:
    raise ImproperlyConfigured(
        "SITE_URL is not set. Set it to the address the portal is served at, such as "
        "https://interclusters.example.org (links in emails and calendar files use it)."
    )

INSTALLED_APPS = [
    "core",
    "interclusters",
    "reference",
    "clusters",
    "surveys",
    "events",
    "mementos",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "interclusters.apps.StaticFilesConfig",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "bootstrap",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "reversion",
    "django_tasks_db",
    "ninja",
]
# Demo content and scale generators (load_demo_data, generate_*): development only.
DEV_TOOLS = env.bool("DEV_TOOLS", default=DEBUG)
if DEV_TOOLS:
    INSTALLED_APPS.append("devdata")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.RejectNullBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.middleware.MethodNotAllowedPageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.pagecache.PublicPageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff without a second factor reach only the pages that enrol one.
    "interclusters.accounts.StaffSecondFactorMiddleware",
    "interclusters.accounts.AccountFormStatusMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "interclusters.urls"
WSGI_APPLICATION = "interclusters.wsgi.application"
ASGI_APPLICATION = "interclusters.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "interclusters.context_processors.site",
            ],
        },
    },
]

# Database: DATABASE_URL, or the project-local cluster started by `make`.
DATABASES = {"default": env.db_url("DATABASE_URL", default=localdb.database_url())}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache for every process and instance, with no other server: Django's database
# cache on the portal's PostgreSQL (the page copies, the import previews, the mail
# server's state), and counters with atomic increments for the rate limits
# (core.cache). CACHE_URL=redis://… moves both to Redis for larger sites. "local" is
# each process's own memory, for values that change with a deployment (the demo banner)
# or whose key names what they were computed from (surveys.selectors.question_results,
# the page copies of core.pagecache).
CACHE_URL = env.str("CACHE_URL", default="")
if CACHE_URL:
    CACHES = {"default": env.cache_url_config(CACHE_URL)}
    RATELIMIT_USE_CACHE = "default"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "core_cache",
            "OPTIONS": {"MAX_ENTRIES": env.int("CACHE_MAX_ENTRIES", default=50_000)},
        },
        "counters": {"BACKEND": "core.cache.CounterCache", "LOCATION": "core_counter"},
    }
    RATELIMIT_USE_CACHE = "counters"
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "interclusters-local",
    # Page copies (~50 kB) and survey figures: some 100 MB per process at most.
    "OPTIONS": {"MAX_ENTRIES": env.int("LOCAL_CACHE_MAX_ENTRIES", default=2000)},
}
# Anonymous visitors' copies of public pages, retired per kind of content at every
# change (core.pagecache); 0 turns them off.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=300)
# How long a process trusts the content versions it read (core.pagecache): what the page
# copies and the kept reference data are checked against. A change committed by another
# process shows within this delay; one committed by this process, at once.
CONTENT_VERSIONS_SECONDS = env.int("CONTENT_VERSIONS_SECONDS", default=1)

# Background work (django.tasks): the queue lives in PostgreSQL (django-tasks-db) and
# `manage.py worker` runs it, with the scheduled jobs (see the README). "redis" puts it
# in Redis (django-tasks-rq, `pip install .[redis]`, REDIS_URL) for larger sites.
# "immediate" runs each task in the process that enqueues it, after commit (the tests).
TASKS_BACKEND = env.str("TASKS_BACKEND", default="database")
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
elif TASKS_BACKEND == "redis":
    REDIS_URL = env.str("REDIS_URL", default="")
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=redis needs REDIS_URL (redis://host:6379/0).")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be database, redis or immediate, not {TASKS_BACKEND!r}."
    )
# Big exports are prepared by the worker and kept this many hours for their requester.
EXPORT_FILE_HOURS = env.int("EXPORT_FILE_HOURS", default=24)
# Exports with more rows than this are prepared in the background.
EXPORT_BACKGROUND_ROWS = env.int("EXPORT_BACKGROUND_ROWS", default=2_000)
# Sent emails are kept this many days in the outbox (failed ones three times longer).
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=30)

AUTH_USER_MODEL = "interclusters.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day

PROXY_COUNT = env.int("PROXY_COUNT", default=0)

# Accounts (django-allauth): the email address is the identifier and must be verified
# before a person registers for an event, proposes a practice or represents a structure.
ACCOUNT_ADAPTER = "interclusters.accounts.AccountAdapter"
ACCOUNT_FORMS = {
    "signup": "interclusters.forms.SignUpForm",
    "login": "interclusters.forms.SignInForm",
    "reset_password": "interclusters.forms.ResetPasswordForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True  # one address per account; a new one is verified first
ACCOUNT_MAX_EMAIL_ADDRESSES = 2
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True  # before changing the address or the password
ACCOUNT_REAUTHENTICATION_TIMEOUT = 5 * 60
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Interclusters] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Counted in the shared cache, so every process and instance sees the same counts. A
# successful password reset clears the failed sign-ins of its address.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_MINUTES = env.int("LOGIN_FAILURE_MINUTES", default=15)
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": f"20/m/ip,{LOGIN_FAILURE_LIMIT}/{LOGIN_FAILURE_MINUTES}m/key",
    "signup": env.str("SIGN_UP_RATE", default="10/h/ip"),
    "reset_password": "10/m/ip,3/h/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key,10/h/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
# Two-factor authentication: staff must enrol an authenticator app (TOTP); recovery
# codes are made with it; a security key (WebAuthn) is an option.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_FORMS = {"add_webauthn": "interclusters.forms.AddSecurityKeyForm"}
MFA_TOTP_ISSUER = "Interclusters"
# A code of the previous or next 30 s is taken too: phones' clocks drift, and a code typed
# at the end of its window reaches the server in the next (RFC 6238 §5.2).
MFA_TOTP_TOLERANCE = 1
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

# Internationalisation: French first, English available.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "interclusters_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Static files: the project's own under static/, third-party assets from packages,
# served by WhiteNoise with hashed, compressed names.
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "var" / "staticfiles"))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("leaflet", xstatic.pkg.leaflet.BASE_DIR),
    ("leaflet-markercluster", xstatic.pkg.leaflet_markercluster.BASE_DIR),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "core.storage.StaticStorage"},
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365 if not DEBUG else 0

# Uploads: proposals' PDFs (5 MB), mementos' PDFs (20 MB) and covers are checked by content
# in their forms, and served only through views that check who may see them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Email through Django's mailers: the console in development, SMTP in production.
EMAIL_BACKEND_NAME = env.str("EMAIL_BACKEND", default="console" if DEBUG else "smtp")
_EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}
if EMAIL_BACKEND_NAME not in _EMAIL_BACKENDS:
    raise ImproperlyConfigured(
        f"EMAIL_BACKEND must be one of {sorted(_EMAIL_BACKENDS)}, not {EMAIL_BACKEND_NAME!r}."
    )
MAILERS = {"default": {"BACKEND": _EMAIL_BACKENDS[EMAIL_BACKEND_NAME], "OPTIONS": {}}}
if EMAIL_BACKEND_NAME == "smtp":
    _use_ssl = env.bool("EMAIL_USE_SSL", default=False)
    _use_tls = env.bool("EMAIL_USE_TLS", default=not _use_ssl)
    if _use_tls and _use_ssl:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be set.")
    MAILERS["default"]["OPTIONS"] = {
        "host": env.str("EMAIL_HOST", default="localhost"),
        "port": env.int("EMAIL_PORT", default=465 if _use_ssl else 587),
        "username": env.str("EMAIL_HOST_USER", default=""),
        "password": env.str("EMAIL_HOST_PASSWORD", default=""),
        "use_tls": _use_tls,
        "use_ssl": _use_ssl,
        "timeout": env.int("EMAIL_TIMEOUT", default=10),
    }
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Interclusters <ne-pas-repondre@interclusters.fr>"
)
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Told of every proposal waiting for moderation, besides the staff who can moderate.
STAFF_NOTIFICATION_EMAILS = env.list("STAFF_NOTIFICATION_EMAILS", default=[])
ADMINS = [("Interclusters", address) for address in env.list("ADMINS", default=[])]

# Security. Production defaults; DEBUG relaxes what needs HTTPS.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Powerful browser features the portal never uses are refused to every page and frame;
# security keys (WebAuthn) only to the portal itself.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
    "publickey-credentials-get": ["self"],
    "publickey-credentials-create": ["self"],
}
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    # Only behind a reverse proxy that sets this header itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = env.bool("USE_X_FORWARDED_HOST", default=False)

# Content Security Policy (Django's own middleware). No inline script or style anywhere:
# every script and stylesheet is a static file.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
_tile_origin = "/".join(MAP_TILE_URL.split("/")[:3]) if MAP_TILE_URL.startswith("http") else None
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *([_tile_origin] if _tile_origin else [])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
CRISPY_FAIL_SILENTLY = not DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
    },
}

CSRF_FAILURE_VIEW = "interclusters.views.csrf_failure"

# Rate limits (django-ratelimit, counted in the shared cache): beyond them a 429 page.
RATELIMIT_VIEW = "interclusters.views.rate_limited"
SURVEY_TOKEN_RATE = env.str("SURVEY_TOKEN_RATE", default="60/m")
REGISTRATION_RATE = env.str("REGISTRATION_RATE", default="30/h")  # per person
PROPOSAL_RATE = env.str("PROPOSAL_RATE", default="20/h")  # calls and practices, per person
API_RATE = env.str("API_RATE", default="120/m")  # API answers per client (or person)
CONTACT_RATE = env.str("CONTACT_RATE", default="10/h")  # messages to structures, per person
CONTACT_ENTRY_RATE = env.str("CONTACT_ENTRY_RATE", default="20/d")  # to one structure

# Survey reminders go to an invitation at most once in this many days, whoever asks.
SURVEY_REMINDER_MIN_DAYS = env.int("SURVEY_REMINDER_MIN_DAYS", default=7)

# Registrants are reminded of an event this many days before it starts (at 08:00).
EVENT_REMINDER_DAYS = env.int("EVENT_REMINDER_DAYS", default=3)

# Registrations to past events lose their personal data after this many months.
REGISTRATION_RETENTION_MONTHS = env.int("REGISTRATION_RETENTION_MONTHS", default=12)

# Shown on the legal notice page: who hosts the service.
LEGAL_HOST = env.str("LEGAL_HOST", default="")

# Marks a site that holds the demo data (a discreet banner says so).
DEMO_EMAIL_DOMAIN = "demo.interclusters.fr"
