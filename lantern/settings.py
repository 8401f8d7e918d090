"""Lantern's settings: one module, driven by environment variables.

Without any variable set, Lantern runs on a SQLite file in the checkout, with background work
done inline; that is what `make demo` relies on. Every variable is documented in the README.
"""

import contextlib
import os
import warnings
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def env_secret(name: str, default: str = "") -> str:
    """Read NAME, or the file named by NAME_FILE (Docker and Kubernetes secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY") or "lantern-insecure-development-key"
if (
    not DEBUG
    and SECRET_KEY == "lantern-insecure-development-key"
    and env_bool("LANTERN_REQUIRE_SECRET_KEY", False)
):
    raise ImproperlyConfigured("SECRET_KEY must be set in production")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "*").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

# Read-only browsing without an account (the demo turns it on).
ANONYMOUS_READ = env_bool("ANONYMOUS_READ", False)
# Data health tiles (/env/<id>/tiles/...) readable without an account, for dashboards that
# embed them; every other page keeps its login.
LANTERN_TILES_PUBLIC = env_bool("LANTERN_TILES_PUBLIC", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_celery_beat",
    "catalog",
    "lineage",
    "ingest",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "lantern.urls"
WSGI_APPLICATION = "lantern.wsgi.application"

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
                "catalog.context_processors.navigation",
            ],
        },
    },
]

# SQLite in the checkout unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'lantern.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets pages read the previous snapshot while an ingest writes the next one;
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of deadlocking.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_TIMEOUT", 60),
    }
    # The test database of a SQLite run lives in memory unless a file is asked for.
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Serve from the finder in development and tests so no collectstatic is needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Until `collectstatic` has run, STATIC_ROOT does not exist; the finders serve the files then.
warnings.filterwarnings("ignore", message="No directory at")

# Background work. Without REDIS_URL, Celery tasks run inline in the calling process.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# A task may run twice (acks_late): every task is written to be idempotent.
CELERY_TASK_ACKS_LATE = True
# One long ingest per worker process at a time; do not hoard queued syncs.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
# Periodic work, run by `celery -A lantern beat`.
CELERY_BEAT_SCHEDULE = {
    "prune run history older than LANTERN_HISTORY_DAYS, daily": {
        "task": "ingest.tasks.history_prune_task",
        "schedule": 24 * 3600,
    },
}

# Per-environment sync schedules live in the database (django-celery-beat), edited on an
# environment's settings page or in the admin; the entries above are copied there at start.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Schedules are cron expressions in UTC.
CELERY_TIMEZONE = "UTC"
DJANGO_CELERY_BEAT_TZ_AWARE = True

# Retention: run history (results, freshness checks) and load records older than this many
# days are deleted by a daily task; 0 keeps everything. The latest result of every node is
# always kept.
LANTERN_HISTORY_DAYS = env_int("LANTERN_HISTORY_DAYS", 0)

# Column-level lineage is brought up to date after every load that changed the catalog: on a
# worker with Redis, inline without. False leaves it to `manage.py column_lineage` (benchmarks
# of the load alone set it).
LANTERN_COLUMN_LINEAGE_AFTER_LOAD = env_bool("LANTERN_COLUMN_LINEAGE_AFTER_LOAD", True)

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Ingest limits. A file above the limit is refused before it is read (gzip: while it inflates),
# so a huge upload cannot exhaust memory. Parsed JSON takes several times its size in RAM.
LANTERN_MAX_ARTIFACT_BYTES = env_int("LANTERN_MAX_ARTIFACT_MB", 400) * 1024 * 1024

# Uploads (POST /api/environments/<id>/artifacts): the most one request may carry (413 beyond),
# and where the files wait for the worker. They are deleted once loaded, unless kept.
LANTERN_UPLOAD_MAX_BYTES = env_int("LANTERN_UPLOAD_MAX_MB", 200) * 1024 * 1024
LANTERN_UPLOAD_DIR = Path(os.environ.get("LANTERN_UPLOAD_DIR", "") or BASE_DIR / "var" / "uploads")
LANTERN_UPLOAD_KEEP = env_bool("LANTERN_UPLOAD_KEEP", False)

# A sync asks the run history (modelHistoricalRuns, one request each) of every model that took
# part in a run not stored yet, when they are at most this many; above, of one model per
# distinct (last run, last success) pair, which can miss a run only other models took part in.
LANTERN_SYNC_HISTORY_MODELS = env_int("LANTERN_SYNC_HISTORY_MODELS", 500)

# The key that encrypts stored dbt Cloud tokens and webhook secrets (Fernet). Defaults to
# SECRET_KEY; changing it makes stored secrets unreadable (they must be entered again).
LANTERN_SECRET_KEY = env_secret("LANTERN_SECRET_KEY") or SECRET_KEY

# The GraphQL endpoint (/graphql). Requests need an API token (or a login session) except
# introspection; this lets anyone without one run any query too.
LANTERN_GRAPHQL_ANONYMOUS_READ = env_bool("LANTERN_GRAPHQL_ANONYMOUS_READ", False)
# Requests per window per token (per user for sessions, per IP address without either); 0: no
# limit. Counted in the cache, so with REDIS_URL the limit holds across processes and hosts.
LANTERN_GRAPHQL_RATE_LIMIT = env_int("LANTERN_GRAPHQL_RATE_LIMIT", 500)
LANTERN_GRAPHQL_RATE_WINDOW = env_int("LANTERN_GRAPHQL_RATE_WINDOW", 60)  # seconds
if LANTERN_GRAPHQL_RATE_WINDOW < 1:
    raise ImproperlyConfigured("LANTERN_GRAPHQL_RATE_WINDOW must be at least 1 (second)")
# Nesting of fields in a query (fragments count as what they contain).
LANTERN_GRAPHQL_MAX_DEPTH = env_int("LANTERN_GRAPHQL_MAX_DEPTH", 12)
# Page sizes are the schema's: `first` is clamped to 500 (100 on job-level lists), as in
# catalog/graphql/pagination.py.
# A request body above this is refused unread (413); a query longer than this is refused (400).
LANTERN_GRAPHQL_MAX_BODY_BYTES = env_int("LANTERN_GRAPHQL_MAX_BODY_KB", 1024) * 1024
LANTERN_GRAPHQL_MAX_QUERY_CHARS = env_int("LANTERN_GRAPHQL_MAX_QUERY_CHARS", 50_000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Site-specific overrides, never committed.
with contextlib.suppress(ImportError):
    from .local_settings import *  # noqa: F403
