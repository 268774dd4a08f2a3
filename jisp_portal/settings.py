"""Settings for the JISP portal: one module, configured from the environment.

With ``DJANGO_ENV=development`` (``make run``, ``scripts/test.sh`` and pytest set it) the portal runs
on an embedded default (SQLite in ``var/``, a filesystem Celery broker under ``var/celery``, console
email, DEBUG on). ``DATABASE_URL``, ``CELERY_BROKER_URL``,
``CACHE_URL`` (or ``REDIS_URL``), ``EMAIL_URL``, ``SECRET_KEY``,
``ALLOWED_HOSTS`` and ``CELERY_TASK_ALWAYS_EAGER`` switch parts over. Any other ``DJANGO_ENV`` — unset,
``production`` or a typo — is production: DEBUG off, it refuses to start without a real secret key
and hardens everything that ``manage.py check --deploy`` looks at.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("JISP_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

# Development (DEBUG, the development key, plain-HTTP cookies) only when DJANGO_ENV=development is set
# explicitly; unset, misspelt or any other value gives the production-safe settings (ASVS 14.3.2).
DJANGO_ENV = env.str("DJANGO_ENV", default="")
DEVELOPMENT = DJANGO_ENV == "development"
PRODUCTION = not DEVELOPMENT
INSECURE_DEFAULT_KEY = "django-insecure-jisp-portal-development-key-do-not-use-in-production"

SECRET_KEY = env.str("SECRET_KEY", default=INSECURE_DEFAULT_KEY)
# Rotation: put the old key here while the new one is SECRET_KEY; drop it after SESSION_COOKIE_AGE.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
if PRODUCTION and (
    SECRET_KEY == INSECURE_DEFAULT_KEY or len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")
):
    raise ImproperlyConfigured(
        f"DJANGO_ENV={DJANGO_ENV or '(unset)'} is production, which needs a real SECRET_KEY (at least 50 random "
        "characters) in the environment. Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(64))'. "
        "On a developer's machine set DJANGO_ENV=development (make run and scripts/test.sh do)."
    )

DEBUG = DEVELOPMENT and env.bool("DEBUG", default=True)  # DEBUG=true outside development is ignored
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "accounts.admin_config.PortalAdminConfig",  # django.contrib.admin, for administrators only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from the portal's own static files, no CDN
    "accounts",
    "authorities",
    "providers",
    "plans",
    "meetings",
    "improvement",
    "api",  # the read-only API (/api/v1/) and the open data export
    "search",
    "demo",  # manage.py seed_demo and demo_totp
    "bench",  # manage.py bench
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "accounts.middleware.NoStoreMiddleware",  # below WhiteNoise: static files stay cacheable
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.sessions.IdleTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
    "accounts.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "jisp_portal.urls"
WSGI_APPLICATION = "jisp_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.portal",
            ],
            "libraries": {"panels": "core.templatetags.panels"},
        },
    },
    # The hot fragments only (the Annex 2 rows): see core.jinja2.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates-jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "core.jinja2.environment"},
    },
]

# --- Database -------------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and sign-in -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "accounts.backends.UserBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = 8 * 60 * 60  # the most a session lasts, however active (accounts.sessions)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_MINUTES", default=30) * 60  # signed out after this idle
SESSION_IDLE_WARNING = 2 * 60  # the timeout warning (JavaScript) shows this long before
RECENT_AUTHENTICATION_SECONDS = 15 * 60  # older than this, credential changes ask for the password again
PASSWORD_RESET_TIMEOUT = 60 * 60  # a reset link works for an hour

# Failed sign-in throttling (django-axes): 5 failures for an account from one address lock it out.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.throttling.attempted_email"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLE_ADMIN = True
AXES_VERBOSE = False
# Proxies in front of gunicorn that append to X-Forwarded-For (load balancer, reverse proxy); 0 when
# gunicorn faces the clients. accounts.client_ip reads the client's address from that many hops, and
# the lockout, the audit log and the throttles all use it (SECURITY.md, "Several web and worker machines").
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip"

# Two-factor sign-in (django-otp TOTP): required for these roles, optional for everyone else.
TWO_FACTOR_REQUIRED_ROLES = env.list(
    "TWO_FACTOR_REQUIRED_ROLES", default=["admin", "go_director"]
)  # role values (accounts.models.Role)
OTP_TOTP_ISSUER = "JISP portal"

DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="demo-password")

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, g:ia"
SHORT_DATE_FORMAT = "d/m/Y"

# --- Static and media -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-served/"  # uploads are only served through permission-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Largest document a user may upload (core.uploads.DocumentField); Django itself sets no limit on files.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

# --- Forms ----------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# --- Email ----------------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="JISP portal <no-reply@jisp.example.gov.uk>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Cache ----------------------------------------------------------------------------------------
# Shared by every web process when CACHE_URL (any django-environ cache URL) or REDIS_URL is set;
# otherwise each process keeps its own in memory. Holds only what may be rebuilt at any time (the
# approved Annex 2 table: docs/decisions/0003), under keys that change when what they hold changes.
_cache_url = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
if _cache_url:
    CACHES = {"default": {**env.cache_url_config(_cache_url), "KEY_PREFIX": "jisp"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jisp"}}

# --- Celery ---------------------------------------------------------------------------------------
CELERY_BROKER_DIR = VAR_DIR / "celery"
_default_broker = "filesystem://"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=_default_broker)
CELERY_BROKER_CONFIGURED = CELERY_BROKER_URL != _default_broker
if not CELERY_BROKER_CONFIGURED:
    for sub in ("in", "processed", "control"):
        (CELERY_BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "in"),
        "data_folder_out": str(CELERY_BROKER_DIR / "in"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- The read-only API (api/, docs/architecture.md, The API) --------------------------------------
# Tokens an administrator issues (api.ApiToken, hashed at rest); session sign-in reaches the API's
# browsable pages only in development (API_SESSION_AUTH), never in production.
API_SESSION_AUTH = env.bool("API_SESSION_AUTH", default=not PRODUCTION)
API_TOKEN_DEFAULT_DAYS = env.int("API_TOKEN_DEFAULT_DAYS", default=90)
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        *(["rest_framework.authentication.SessionAuthentication"] if API_SESSION_AUTH else []),
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ReadOnlyForActiveUsers"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.UserThrottle", "api.throttling.AnonymousThrottle"],
    # Requests per user (by their account) and per address without a valid token; counted in the default cache.
    "DEFAULT_THROTTLE_RATES": {
        "api_user": env.str("API_THROTTLE_USER", default="600/hour"),
        "api_anonymous": env.str("API_THROTTLE_ANONYMOUS", default="60/hour"),
    },
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        *(["rest_framework.renderers.BrowsableAPIRenderer"] if API_SESSION_AUTH else []),
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "JISP portal API",
    "DESCRIPTION": (
        "Read-only data of the JISP portal: authorities, providers, National Indicators, approved plans with "
        "their rows and accepted offers, the regional and national analysis and the note-deadline compliance "
        "figures. Every answer holds what the token's user may see on the portal's pages. Send the token an "
        "administrator issued you as `Authorization: Bearer <token>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "PlanStatusEnum": "plans.models.JISP.Status",
    },
}

# --- Security -------------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = False
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host- cookies: the browser sends them only over HTTPS, to this host, for path "/" (never a
    # sibling subdomain's); Django sets them Secure, Path=/ and without Domain.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Logging --------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "jisp_portal.log_redaction.RedactSecrets"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # runserver's request lines, through the redacting handler too
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
