"""The one settings module. Every deployment-specific value comes from the environment.

Nothing set → a local SQLite database under var/ and a generated secret key kept in var/,
which is what `make run` and `make test` use. Production sets DATABASE_URL, SECRET_KEY,
ALLOWED_HOSTS and DEBUG=0 (see docs/deployment.md).
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from countyworks.env import EnvError, envbool, envcache, envint, envlist, envstr

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(envstr("COUNTYWORKS_VAR_DIR", str(PACKAGE_DIR.parent / "var"))).resolve()

DEBUG = envbool("DEBUG", False)
# HTTPS on by default whenever DEBUG is off; `make run` serves plain http on localhost and turns it off.
HTTPS = envbool("HTTPS", not DEBUG)


def _secret_key() -> str:
    configured = envstr("SECRET_KEY", "")
    if configured:
        return configured
    # A local install keeps one generated key so sessions survive restarts.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "django_htmx",
    "axes",
    "countyworks.core",
    "countyworks.jobs",
    "countyworks.accounts",
    "countyworks.regions",
    "countyworks.sources",
    "countyworks.plans",
    "countyworks.supervision",
    "countyworks.notify",
    "countyworks.indicators",
    "countyworks.honours",
    "countyworks.reading",
    "countyworks.reports",
    "countyworks.portal",
    "countyworks.api",
    "countyworks.interchange",
    "countyworks.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads a parameter: a NUL is answered 400, never passed to PostgreSQL.
    "countyworks.core.middleware.RejectNulMiddleware",
    # Before anything reads the database (sessions, the user): picks primary or replica for reads.
    "countyworks.core.db_router.ReplicaRoutingMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes last: it must see the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "countyworks.urls"
WSGI_APPLICATION = "countyworks.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "countyworks.accounts.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'countyworks.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while gunicorn workers write; a busy timeout avoids "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # Django would open a server-side cursor (DECLARE … WITH HOLD, three round trips, the result
    # materialised at commit) for every choice list a form renders; the ledger filter has four.
    # Nothing here streams a result too large for memory, and plain cursors also keep the app
    # usable behind PgBouncer in transaction mode.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True

# issue 18: a streaming replica for read-only pages (countyworks/core/db_router.py decides which
# reads may go there; docs/deployment.md gives the lag bound). Unset: every query goes to the primary.
DATABASE_REPLICA_URL = envstr("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]
    )
    DATABASES["replica"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    # The test suite has one database: the replica alias reads the test primary.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["countyworks.core.db_router.ReplicaRouter"]
# After a write, that browser reads the primary for this long; it must exceed the replica's lag.
REPLICA_STICKY_SECONDS = envint("REPLICA_STICKY_SECONDS", 10)
# A replica further behind than this (or not streaming) is set aside until it catches up.
REPLICA_MAX_LAG_SECONDS = envint("REPLICA_MAX_LAG_SECONDS", 2)
REPLICA_LAG_CHECK_SECONDS = envint("REPLICA_LAG_CHECK_SECONDS", 2)
if DATABASE_REPLICA_URL and REPLICA_STICKY_SECONDS <= REPLICA_MAX_LAG_SECONDS + REPLICA_LAG_CHECK_SECONDS:
    raise EnvError(
        f"REPLICA_STICKY_SECONDS={REPLICA_STICKY_SECONDS} must exceed REPLICA_MAX_LAG_SECONDS + "
        f"REPLICA_LAG_CHECK_SECONDS ({REPLICA_MAX_LAG_SECONDS + REPLICA_LAG_CHECK_SECONDS}): "
        "otherwise an author may read the replica before it holds his write"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SERIALIZATION_MODULES = {"exactjson": "countyworks.interchange.exact_json"}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
FORM_RENDERER = "countyworks.core.forms_renderer.SiteFormRenderer"  # issue 12: forms styled once
CSRF_FAILURE_VIEW = "countyworks.core.views.csrf_failure"  # issue 12: Chinese, in the frame
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS: list = []  # every app keeps its own locale/ folder
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES = PACKAGE_DIR.parent / "node_modules"
# Front-end libraries come from npm (package.json) and are served as our own static files, never a CDN.
STATICFILES_DIRS = [
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/swagger-ui", NODE_MODULES / "swagger-ui-dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Uploads: evidence photos and files.
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Supervision rules (序时进度 and traffic lights); the database settings row overrides these.
SUPERVISION_YELLOW_BEHIND_POINTS = envint("SUPERVISION_YELLOW_BEHIND_POINTS", 10)
SUPERVISION_RED_BEHIND_POINTS = envint("SUPERVISION_RED_BEHIND_POINTS", 30)
SUPERVISION_DUE_SOON_DAYS = envint("SUPERVISION_DUE_SOON_DAYS", 7)
SUPERVISION_ESCALATE_AFTER_RED_RUNS = envint("SUPERVISION_ESCALATE_AFTER_RED_RUNS", 3)
SUPERVISION_REPORT_REMINDER_DAY = envint("SUPERVISION_REPORT_REMINDER_DAY", 25)
SUPERVISION_SIGNOFF_WORKING_DAYS = envint("SUPERVISION_SIGNOFF_WORKING_DAYS", 3)  # issue 13

# Report jobs (reports/services.py): a queued or running job whose heartbeat is older than this lost
# its worker (restart, OOM) and is marked failed. Well above the 120 s PDF conversion limit, so a
# slow but live rendering is never taken for a dead one.
REPORT_JOB_STALE_SECONDS = envint("REPORT_JOB_STALE_SECONDS", 600)
# issue 17: the task queue (docs/queue.md). A worker renews its lease every third of it; a job
# whose lease ran out lost its worker and is claimed again.
JOBS_LEASE_SECONDS = envint("JOBS_LEASE_SECONDS", 60)
JOBS_BACKOFF_SECONDS = envint("JOBS_BACKOFF_SECONDS", 5)
JOBS_BACKOFF_MAX_SECONDS = envint("JOBS_BACKOFF_MAX_SECONDS", 600)
JOBS_MAX_ATTEMPTS = envint("JOBS_MAX_ATTEMPTS", 5)
# The daily supervision run is enqueued by the workers' scheduler at or after this local hour.
SUPERVISE_HOUR = envint("SUPERVISE_HOUR", 0)
# issue 17: notification channels (docs/notifications.md). NOTIFY_SECRET_KEY is a Fernet key that
# encrypts robot keys and secrets in the database; unset, one is derived from SECRET_KEY.
NOTIFY_SECRET_KEY = envstr("NOTIFY_SECRET_KEY", "")
# issue 14: `countyworks backup` encrypts its archive with this Fernet key when set (docs/deployment.md).
BACKUP_ENCRYPTION_KEY = envstr("BACKUP_ENCRYPTION_KEY", "")
WECOM_WEBHOOK_URL = envstr("WECOM_WEBHOOK_URL", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send")
DINGTALK_WEBHOOK_URL = envstr("DINGTALK_WEBHOOK_URL", "https://oapi.dingtalk.com/robot/send")
# Links in chat messages and mails are absolute: the address users reach the site at.
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000")
if REPORT_JOB_STALE_SECONDS < 1:
    raise EnvError(
        f"REPORT_JOB_STALE_SECONDS={REPORT_JOB_STALE_SECONDS} must be a positive number of seconds"
    )

# Login throttling (django-axes): five failures lock the user name from that address for an hour.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"  # issue 12: a clear Chinese message in the frame
# issue 18: behind the balancer the client's address comes from its X-Forwarded-For, never from
# REMOTE_ADDR (the balancer's own); without BEHIND_PROXY that header is forgeable and ignored.
AXES_CLIENT_IP_CALLABLE = "countyworks.accounts.client_ip.client_ip"

EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "countyworks@localhost")
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)

# Security headers. A strict CSP: our own static files only, with a nonce for inline scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and envbool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
BEHIND_PROXY = envbool("BEHIND_PROXY", False)
# How many proxies append to X-Forwarded-For in front of the app (one load balancer: 1).
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 1)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Several workers or app servers share one cache with CACHE_URL=redis://…; the dashboard's
# rankings are then computed once per change, not once per process.
CACHES = envcache("CACHE_URL")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}

# The seed document and shared material, for the demo's citations and the evaluations.
SHARED_DIR = Path(envstr("COUNTYWORKS_SHARED_DIR", str(PACKAGE_DIR.parent.parent / "shared")))

VERBOSE_NAME = _("CountyWorks")
