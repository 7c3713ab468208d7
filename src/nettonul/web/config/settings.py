"""Django settings for the nettonul web application, read from the environment.

Environment variables (all optional):

``NETTONUL_DATA_DIR``
    Where the embedded SQLite database and the generated secret key live
    (default: the user data directory from ``platformdirs``).
``DATABASE_URL``
    ``postgresql://user:password@host:port/name`` to use PostgreSQL instead of SQLite.
``SECRET_KEY``
    The Django secret key; when absent one is generated once and kept in the data directory.
``NETTONUL_DEBUG``
    ``1`` for Django's debug mode (never in production).
``NETTONUL_ALLOWED_HOSTS``
    Comma-separated host names the server answers to (default: loopback names).
``NETTONUL_SECURE_COOKIES``
    Send session and CSRF cookies only over HTTPS (default: on unless debugging; browsers
    treat ``127.0.0.1``/``localhost`` as secure, so the embedded server still works).
``NETTONUL_HTTPS``
    ``1`` when served behind HTTPS: turns on HSTS and trusts ``X-Forwarded-Proto``.
``NETTONUL_PROXY_COUNT``
    How many reverse proxies in front of the server append to ``X-Forwarded-For`` (default 0:
    the client's address is the connection's). Login throttling counts failures per address.
``NETTONUL_LOGIN_FAILURES``, ``NETTONUL_LOGIN_COOLOFF_MINUTES``
    Failed logins per account or per address before a lock-out (default 5), and how long the
    lock-out lasts (default 15 minutes).
``NETTONUL_TOKEN_DAYS``
    How long a new API token is valid (default 365 days).
``NETTONUL_MAX_UPLOAD_BYTES``, ``NETTONUL_MAX_INFLATED_BYTES``, ``NETTONUL_MAX_COMPRESSION_RATIO``,
``NETTONUL_MAX_ROWS``, ``NETTONUL_MAX_CELLS``, ``NETTONUL_MAX_PDF_PAGES``, ``NETTONUL_MAX_TREE_DEPTH``
    Limits on uploaded files (defaults 25 MB, 200 MB unpacked, ratio 100, 200,000 rows,
    5,000,000 cells, 2,000 pages, 50 levels); see ``docs/security.md``.
``NETTONUL_MAX_REQUEST_BYTES``
    The largest request body (default: the upload limit plus 1 MB); larger ones get 413.
``NETTONUL_REDIS_URL``
    ``redis://host:port/db`` for a cache shared by several server processes (default: a memory
    cache per process).
``NETTONUL_CACHE_DIR``
    A directory for a file cache shared by the processes of one host (used without Redis).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import platformdirs
from django.core.exceptions import ImproperlyConfigured

from nettonul.web.engine import limits as upload_limits


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def data_dir() -> Path:
    """The directory for the embedded database and the secret key, created on first use."""
    path = Path(os.environ.get("NETTONUL_DATA_DIR") or platformdirs.user_data_dir("nettonul"))
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    _owner_only(path, 0o700)  # it holds the database, the secret key and the demo logins
    return path


def _owner_only(path: Path, mode: int) -> None:
    """Restrict ``path`` to its owner (``mode``), if it is ours and allows more."""
    try:
        st = path.stat()
        if st.st_uid == os.getuid() and st.st_mode & 0o077:
            path.chmod(mode)
    except (AttributeError, OSError):  # no getuid (Windows), or a file system without modes
        pass


def sqlite_file(path: Path) -> Path:
    """The embedded database file, created owner-only (0600) before SQLite opens it; SQLite gives
    its WAL and shared-memory files the database file's permissions."""
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    _owner_only(path, 0o600)
    return path


def secret_key(directory: Path) -> str:
    """``SECRET_KEY`` from the environment, else the one generated on first run."""
    given = os.environ.get("SECRET_KEY")
    if given:
        return given
    path = directory / "secret_key"
    if not path.exists():
        # Owner-only permissions from the start: the key signs sessions.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text(encoding="utf-8").strip()


#: SQLite pragmas set on every new connection. WAL lets readers run while one writer
#: writes; busy_timeout makes a second writer wait instead of failing at once.
SQLITE_INIT = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000"


def database(url: str | None, directory: Path) -> dict[str, Any]:
    """Django's database settings from ``DATABASE_URL`` or the embedded SQLite file."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(sqlite_file(directory / "nettonul.sqlite3")),
            # IMMEDIATE takes the write lock when a transaction starts, so two concurrent
            # edits queue instead of one failing with "database is locked" half-way.
            "OPTIONS": {"init_command": SQLITE_INIT, "transaction_mode": "IMMEDIATE"},
            # Each server thread keeps its connection: opening one (and Django's setup of it)
            # costs more than a cached page.
            "CONN_MAX_AGE": 600,
        }
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ImproperlyConfigured(f"DATABASE_URL must start with postgresql://, not {parts.scheme}://")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "nettonul",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "OPTIONS": dict(parse_qsl(parts.query)),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


def caches(redis_url: str | None, cache_dir: str | None) -> dict[str, Any]:
    """The two caches: ``default`` for engine results and rendered charts, ``responses`` for
    whole pages (nettonul.web.responsecache). Both are exact whatever the backend, since their
    keys name the data generation every process reads from the database; a shared backend only
    saves each process computing the same entry again."""
    if redis_url:
        # One Redis database for both, told apart by prefix; a timeout so a lost Redis costs a
        # recomputation, not a hanging request.
        options = {"socket_connect_timeout": 2, "socket_timeout": 2}
        return {name: {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url,
                       "KEY_PREFIX": f"nettonul-{name}", "OPTIONS": options}
                for name in ("default", "responses")}
    default: dict[str, Any] = (
        {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
         "LOCATION": cache_dir, "OPTIONS": {"MAX_ENTRIES": 20_000}}
        if cache_dir else
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "nettonul",
         "OPTIONS": {"MAX_ENTRIES": 2_000}})
    return {"default": default,
            "responses": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                          "LOCATION": "nettonul-responses", "OPTIONS": {"MAX_ENTRIES": 500}}}


BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir()
SECRET_KEY = secret_key(DATA_DIR)
DEBUG = env_bool("NETTONUL_DEBUG", False)
ALLOWED_HOSTS = env_list("NETTONUL_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Serves the API explorer's own bundled assets instead of loading them from a CDN.
    "ninja",
    "django_htmx",
    "nettonul.web.organisations",
    "nettonul.web.audit",
    "nettonul.web.plans",
    "nettonul.web.inventory",
    "nettonul.web.api",
    "nettonul.web.accounts",
    "nettonul.web.site",
    "nettonul.web.imports",
    "nettonul.web.strategy",
    "nettonul.web.orgunits",
    "nettonul.web.monitoring",
    # Login throttling: failed attempts per account and per address, with a lock-out.
    "axes",
]

MIDDLEWARE = [
    # Outermost: TRACE and unknown methods answer 405 before anything else runs.
    "nettonul.web.config.middleware.KnownMethodsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "nettonul.web.config.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A request body beyond the limit is answered 413 before CSRF or a view reads it.
    "nettonul.web.config.middleware.RequestSizeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Turns the errors views let through (refused permission, stale edit, rejected input)
    # into the site's error page or a JSON body with the right status (nettonul.web.errors).
    "nettonul.web.errors.ErrorResponseMiddleware",
    # API bodies: JSON within the size and depth limits, else 422 (before any view parses it).
    "nettonul.web.config.middleware.JsonLimitsMiddleware",
    # Innermost: it needs the user and the waiting messages, and every response it serves
    # still passes the others (CSRF cookie, security headers).
    "nettonul.web.responsecache.ResponseCacheMiddleware",
    # Turns a lock-out raised by the authentication backend into the lock-out page (HTTP 429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nettonul.web.config.urls"
WSGI_APPLICATION = "nettonul.web.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": database(os.environ.get("DATABASE_URL"), DATA_DIR)}

# Engine results and the pages' charts and tables drawn from them are kept under keys made of
# everything they depend on (nettonul.web.engine.cache), so entries never go stale and are never
# deleted. The default is a memory cache per process (waitress serves from one process);
# NETTONUL_REDIS_URL selects a Redis server shared by every server process (docs/deploy.md),
# NETTONUL_CACHE_DIR a file cache shared by several processes on one host. Entries are at most
# some 60 KB (a dashboard's rendered charts), so the memory cache stays bounded.
CACHES = caches(os.environ.get("NETTONUL_REDIS_URL"), os.environ.get("NETTONUL_CACHE_DIR"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses any login attempt while the account or the address is locked out.
    "nettonul.web.accounts.backends.ThrottledBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# ----------------------------------------------------------------------------- login throttling
# django-axes counts failed logins in the database, per account and, separately, per address
# (["username", "ip_address"]: either one reaching the limit locks out); a success resets the
# account's count; the lock-out lifts by itself after the cool-off time.
AXES_FAILURE_LIMIT = int(os.environ.get("NETTONUL_LOGIN_FAILURES") or 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("NETTONUL_LOGIN_COOLOFF_MINUTES") or 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "nettonul.web.accounts.backends.locked_out"
AXES_CLIENT_IP_CALLABLE = "nettonul.web.accounts.backends.client_address"
AXES_DISABLE_ACCESS_LOG = True  # failures are kept; successful logins are not logged here
AXES_VERBOSE = False
PROXY_COUNT = int(os.environ.get("NETTONUL_PROXY_COUNT") or 0)
#: Days a new API token is valid.
API_TOKEN_DAYS = int(os.environ.get("NETTONUL_TOKEN_DAYS") or 365)
LOGIN_URL = "public:login"
LOGIN_REDIRECT_URL = "public:overview"
LOGOUT_REDIRECT_URL = "public:overview"

# ----------------------------------------------------------------------------- i18n
LANGUAGE_CODE = "en"
LANGUAGES = [("da", "Dansk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Copenhagen"
LANGUAGE_COOKIE_NAME = "nettonul_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# The last finder serves browser scripts shipped inside Python packages (plotly.min.js).
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "nettonul.web.site.finders.PackageFinder",
]
STATIC_ROOT = DATA_DIR / "static"

# ----------------------------------------------------------------------------- security
SECURE_COOKIES = env_bool("NETTONUL_SECURE_COOKIES", not DEBUG)
HTTPS = env_bool("NETTONUL_HTTPS", False)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if HTTPS:
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if h not in ("*", "")]
#: A strict policy: everything from this server only, never from a CDN.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)

# Limits on uploaded files (bytes, unpacked size and compression ratio of .xlsx/.docx, rows,
# cells, PDF pages, unit-tree depth): the engine's, set by the NETTONUL_MAX_* environment
# variables (nettonul.engine.io.limits, docs/security.md). A request may carry one file at the
# upload limit and 1 MB of other fields; a larger one is answered 413 before it is read.
MAX_UPLOAD_BYTES = upload_limits.current().max_bytes
MAX_REQUEST_BYTES = int(os.environ.get("NETTONUL_MAX_REQUEST_BYTES") or MAX_UPLOAD_BYTES + 1_000_000)
# An upload larger than this is streamed to a temporary file, not held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_500_000
# Fields other than files (and JSON bodies): above the 2 MB the YAML and JSON readers accept,
# so those refuse a large document with their own message.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_000_000

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
