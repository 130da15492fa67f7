"""Tribune's settings: every value comes from the environment, with working defaults.

No environment at all gives a working SQLite site in ./data. Every setting read here is
listed in docs/configuration.md and .env.example (a test keeps the three in step).
"""

import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured

from tribune.lib.env import (
    env_bool,
    env_choice,
    env_int,
    env_json,
    env_list,
    env_secret,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent

TRIBUNE_ENV = env_choice("TRIBUNE_ENV", ("development", "production", "test"), "development")
PRODUCTION = TRIBUNE_ENV == "production"
TESTING = TRIBUNE_ENV == "test"

DATA_DIR = Path(env_str("TRIBUNE_DATA_DIR", str(Path.cwd() / "data"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = env_secret("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY (or SECRET_KEY_FILE) is required when TRIBUNE_ENV=production"
        )
    # Outside production a key is generated once and kept in the data folder, so that
    # sessions survive restarts without anyone having to invent a secret.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
if DEBUG and PRODUCTION:
    raise ImproperlyConfigured("DEBUG must be off when TRIBUNE_ENV=production")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "anymail",  # mail providers: sending backends and the bounce webhooks' views
    "tribune.core",
    "tribune.accounts",
    "tribune.articles",
    "tribune.submissions",
    "tribune.checks",
    "tribune.covers",
    "tribune.discovery",
    "tribune.newsletter",
    "tribune.notices",
    "tribune.api",
    # django-ninja: its static files (Swagger UI) for the API docs page, served by us.
    "ninja",
]

MIDDLEWARE = [
    # Outside the page cache, so that a stored page never carries another request's id.
    "tribune.core.logs.RequestIdMiddleware",
    # First, so that anonymous hits skip everything else and stored pages carry the final
    # headers of every middleware below (security headers included).
    "tribune.core.pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "tribune.urls"
WSGI_APPLICATION = "tribune.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tribune.core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite in the data folder unless DATABASE_URL says otherwise.
DATABASE_URL = env_str("DATABASE_URL", "")
CONN_MAX_AGE = env_int("DATABASE_CONN_MAX_AGE", 60)
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "tribune.sqlite3",
            "CONN_MAX_AGE": CONN_MAX_AGE,
            "OPTIONS": {
                # WAL lets readers and one writer work at once; IMMEDIATE takes the write
                # lock at the start of a transaction, so two writers queue behind the
                # busy timeout instead of failing with "database is locked".
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Tests use a file too, not Django's in-memory default: threads (several sending
            # connections) then get separate connections in WAL mode, as on a real site,
            # instead of shared-cache table locks that fail at once. One file per process.
            "TEST": {"NAME": str(Path(tempfile.gettempdir()) / f"tribune-test-{os.getpid()}.db")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Search engine (tribune.discovery.backends): by default the one that fits the database,
# PostgreSQL full-text search on PostgreSQL, FTS5 on SQLite.
TRIBUNE_SEARCH_BACKEND = env_str("TRIBUNE_SEARCH_BACKEND", "") or (
    "tribune.discovery.backends.postgres.PostgresSearch"
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    else "tribune.discovery.backends.sqlite.SQLiteSearch"
)

# Cache: Redis when REDIS_URL is set, else files in the data folder, which every worker
# process of one machine shares (an in-process cache would let workers disagree).
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Fails soft: with Redis away, pages are rendered from the database.
            "BACKEND": "tribune.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "tribune"),
            # A Redis that does not answer must not hold a reader's request for long.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

TRIBUNE_PAGE_CACHE = env_bool("TRIBUNE_PAGE_CACHE", True)
TRIBUNE_PAGE_CACHE_SECONDS = env_int("TRIBUNE_PAGE_CACHE_SECONDS", 24 * 3600)
# Where cached HTML pages are also written as files for nginx to serve without Python
# (docs/deployment.md); empty: not written.
TRIBUNE_PAGE_FILES_DIR = env_str("TRIBUNE_PAGE_FILES_DIR", "")

# Background work (django-tasks): the database queue (`django_tasks_db`), or RQ on Redis
# (django-tasks-rq, used as a library: see tribune/core/redisqueue.py), the default when
# REDIS_URL is set. `tribune worker` runs either (tribune/core/workers.py). Tests run tasks
# immediately, whatever the queue.
TRIBUNE_TASK_QUEUE = env_choice(
    "TRIBUNE_TASK_QUEUE", ("database", "rq"), "rq" if REDIS_URL else "database"
)
if TRIBUNE_TASK_QUEUE == "rq" and not REDIS_URL:
    raise ImproperlyConfigured("TRIBUNE_TASK_QUEUE=rq needs REDIS_URL (the Redis that holds it)")
if TESTING:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
elif TRIBUNE_TASK_QUEUE == "rq":
    TASKS = {
        "default": {"BACKEND": "tribune.core.redisqueue.RQBackend", "QUEUES": ["default"]},
        # Takes the tasks queued while Redis is away; the run_database_tasks chore runs them.
        "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# django-rq's queues. No time limit (-1), as with the database queue: a newsletter send may
# take an hour; a worker that dies is noticed by its heartbeat instead (core/redisqueue.py).
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": -1}} if REDIS_URL else {}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: the interface is translated into these, and an article may be written in any
# of them. The URL prefix (/en/, /de/) decides the interface language.
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en")
_language_codes = env_list("TRIBUNE_LANGUAGES", ["en", "de"])
for _code in _language_codes:
    if _code not in LANG_INFO:
        raise ImproperlyConfigured(f"TRIBUNE_LANGUAGES: unknown language code {_code!r}")
LANGUAGES = [(code, LANG_INFO[code]["name_local"]) for code in _language_codes]
if LANGUAGE_CODE not in _language_codes:
    raise ImproperlyConfigured(f"LANGUAGE_CODE {LANGUAGE_CODE!r} is not in TRIBUNE_LANGUAGES")
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "UTC")

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
# Development sites serve /media/ themselves; production serves it from nginx or object
# storage (README, "Covers").
TRIBUNE_SERVE_MEDIA = env_bool("TRIBUNE_SERVE_MEDIA", not PRODUCTION)
# Covers: the generator (a class with the methods of tribune/covers/backends/base.py), and
# the limits of uploaded images.
TRIBUNE_COVER_BACKEND = env_str(
    "TRIBUNE_COVER_BACKEND", "tribune.covers.backends.pillow.PillowCoverBackend"
)
TRIBUNE_COVER_UPLOAD_MAX_BYTES = env_int("TRIBUNE_COVER_UPLOAD_MAX_BYTES", 10_000_000)
TRIBUNE_COVER_UPLOAD_MAX_PIXELS = env_int("TRIBUNE_COVER_UPLOAD_MAX_PIXELS", 40_000_000)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production, static files are served straight from the apps' folders.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

# Security. Production mode turns on everything `tribune check --deploy` asks for.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", PRODUCTION) else None
)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "https:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Logs go to standard error (systemd's journal, the container's log), one JSON object per
# line in production so that a log system can search them by request id.
LOG_FORMAT = env_choice("LOG_FORMAT", ("text", "json"), "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "tribune.core.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "tribune.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# The site and its operator, shown in the footer, the legal notice and the disclaimer.
TRIBUNE_SITE_NAME = env_str("TRIBUNE_SITE_NAME", "Tribune")
TRIBUNE_OPERATOR_NAME = env_str("TRIBUNE_OPERATOR_NAME", "Tribune demo operator")
TRIBUNE_OPERATOR_ADDRESS = env_str(
    "TRIBUNE_OPERATOR_ADDRESS", "Musterstraße 1, 10115 Berlin, Germany"
)
TRIBUNE_CONTACT_EMAIL = env_str("TRIBUNE_CONTACT_EMAIL", "contact@example.org")
TRIBUNE_LEGAL_EMAIL = env_str("TRIBUNE_LEGAL_EMAIL", "legal@example.org")
TRIBUNE_ARTICLES_PER_PAGE = env_int("TRIBUNE_ARTICLES_PER_PAGE", 10)
# Notices and takedowns (tribune.notices): reports per address and hour, the appeal window
# in days (DSA art. 20: at least six months), and the micro/small-enterprise switch that
# hides the transparency report (DSA art. 15(2), 19) but keeps the machinery.
TRIBUNE_NOTICES_PER_HOUR = env_int("TRIBUNE_NOTICES_PER_HOUR", 10)
TRIBUNE_APPEAL_DAYS = env_int("TRIBUNE_APPEAL_DAYS", 184)
TRIBUNE_SMALL_ENTERPRISE = env_bool("TRIBUNE_SMALL_ENTERPRISE", False)
# The US process: DMCA fields on the report form and counter-notices with the 512(g) timer.
TRIBUNE_DMCA = env_bool("TRIBUNE_DMCA", False)
# DSA points of contact (art. 11 authorities, art. 12 recipients), the languages they
# answer in, the legal representative (art. 13, when not established in the EU), certified
# dispute settlement bodies (art. 21) and the terms version cited in statements of reasons.
TRIBUNE_DSA_AUTHORITY_EMAIL = env_str("TRIBUNE_DSA_AUTHORITY_EMAIL", TRIBUNE_LEGAL_EMAIL)
TRIBUNE_DSA_RECIPIENT_EMAIL = env_str("TRIBUNE_DSA_RECIPIENT_EMAIL", TRIBUNE_LEGAL_EMAIL)
TRIBUNE_DSA_CONTACT_LANGUAGES = env_list("TRIBUNE_DSA_CONTACT_LANGUAGES", ["de", "en"])
TRIBUNE_DSA_LEGAL_REPRESENTATIVE = env_str("TRIBUNE_DSA_LEGAL_REPRESENTATIVE", "")
TRIBUNE_DSA_DISPUTE_BODIES = env_list("TRIBUNE_DSA_DISPUTE_BODIES", [])
# Where moderators report a suspected offence threatening life or safety (DSA art. 18):
# the law enforcement or judicial authority's address. Empty: the report form says so.
TRIBUNE_DSA_LAW_ENFORCEMENT_EMAIL = env_str("TRIBUNE_DSA_LAW_ENFORCEMENT_EMAIL", "")
TRIBUNE_TERMS_VERSION = env_str("TRIBUNE_TERMS_VERSION", "1")
# The DSA Transparency Database (art. 24(5)): `tribune submit_statements` posts there.
TRIBUNE_TDB_URL = env_str("TRIBUNE_TDB_URL", "")
TRIBUNE_TDB_TOKEN = env_secret("TRIBUNE_TDB_TOKEN")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Tribune <noreply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Mail: SMTP when EMAIL_HOST is set; otherwise, outside production, mails are printed to
# the console of `tribune serve` so that sign-up works on a laptop without a mail server.
EMAIL_HOST = env_str("EMAIL_HOST", "")
# A provider's API instead of SMTP: an anymail backend, e.g. anymail.backends.mailgun.EmailBackend.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST or TESTING
    else "django.core.mail.backends.console.EmailBackend",
)
if PRODUCTION and not EMAIL_HOST and EMAIL_BACKEND.startswith("django.core.mail.backends."):
    raise ImproperlyConfigured("EMAIL_HOST is required when TRIBUNE_ENV=production")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",  # the admin's own sign-in, by username
    "tribune.accounts.backends.EmailBackend",  # the site's sign-in, by e-mail address
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "articles:home"
LOGOUT_REDIRECT_URL = "articles:home"
# Verification and password-reset links stay valid for three days.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
# Where the site is reached from outside: used for absolute links and for warming the
# page cache after a change.
TRIBUNE_BASE_URL = env_str("TRIBUNE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Newsletter (tribune.newsletter): confirmation links and unconfirmed sign-ups live this
# many days; editions go out in batches of this many messages over one connection.
TRIBUNE_NEWSLETTER_CONFIRM_DAYS = env_int("TRIBUNE_NEWSLETTER_CONFIRM_DAYS", 3)
TRIBUNE_NEWSLETTER_BATCH_SIZE = env_int("TRIBUNE_NEWSLETTER_BATCH_SIZE", 200)
# At most this many newsletter messages a second per sending process (0: as fast as the
# mail server takes them), for providers and servers that limit the rate.
TRIBUNE_NEWSLETTER_RATE = env_int("TRIBUNE_NEWSLETTER_RATE", 0)
# SMTP connections one sending process keeps open at once (threads; the rate above is shared).
TRIBUNE_NEWSLETTER_CONNECTIONS = env_int("TRIBUNE_NEWSLETTER_CONNECTIONS", 1)
if not 1 <= TRIBUNE_NEWSLETTER_CONNECTIONS <= 32:
    raise ImproperlyConfigured(
        "TRIBUNE_NEWSLETTER_CONNECTIONS must be between 1 and 32; "
        f"got {TRIBUNE_NEWSLETTER_CONNECTIONS}"
    )
# The mailto address in List-Unsubscribe; empty means the https link alone.
TRIBUNE_NEWSLETTER_UNSUBSCRIBE_EMAIL = env_str("TRIBUNE_NEWSLETTER_UNSUBSCRIBE_EMAIL", "")
# Mail providers through django-anymail: the API keys of the sending backend, and what
# secures the bounce and complaint webhooks under /newsletter/esp/ (basic auth shared by
# every provider, "user:password", comma-separated to rotate; Mailgun's signing key).
# Without them the webhooks answer 404 (tribune/newsletter/esp_urls.py).
ANYMAIL = {
    name: value
    for name, value in {
        "WEBHOOK_SECRET": [
            pair.strip() for pair in env_secret("ANYMAIL_WEBHOOK_SECRET").split(",") if pair.strip()
        ],
        "MAILGUN_API_KEY": env_secret("MAILGUN_API_KEY"),
        "MAILGUN_API_URL": env_str("MAILGUN_API_URL", ""),
        "MAILGUN_WEBHOOK_SIGNING_KEY": env_secret("MAILGUN_WEBHOOK_SIGNING_KEY"),
        "POSTMARK_SERVER_TOKEN": env_secret("POSTMARK_SERVER_TOKEN"),
    }.items()
    if value
}

# Feeds, sitemaps and structured data (tribune.discovery).
# Feeds carry each article's whole body, or only its summary.
TRIBUNE_FEED_FULL_CONTENT = env_bool("TRIBUNE_FEED_FULL_CONTENT", True)
TRIBUNE_FEED_ITEMS = env_int("TRIBUNE_FEED_ITEMS", 30)
if not 1 <= TRIBUNE_FEED_ITEMS <= 500:
    raise ImproperlyConfigured(
        f"TRIBUNE_FEED_ITEMS must be between 1 and 500; got {TRIBUNE_FEED_ITEMS}"
    )
# The publisher's logo in structured data and feeds: an absolute URL or a path on this site.
TRIBUNE_SITE_LOGO_URL = env_str("TRIBUNE_SITE_LOGO_URL", "")

# "You might also like" (tribune.discovery.related): the engine that says how alike two
# articles are, a dotted path to a class with the methods of backends/related_base.py.
TRIBUNE_RELATED_ENGINE = env_str(
    "TRIBUNE_RELATED_ENGINE", "tribune.discovery.backends.related_tfidf.TfidfEngine"
)

# Editorial workflow.
TRIBUNE_EDITORS_MAY_APPROVE_OWN = env_bool("TRIBUNE_EDITORS_MAY_APPROVE_OWN", False)

# Guideline checks (tribune.checks): checks to switch off by name, and options per check
# over the defaults each check declares, e.g. {"spam": {"max_links": 20}}. The admin's
# per-check settings win over both. Unknown names are refused at start-up (system check).
TRIBUNE_CHECKS_OFF = env_list("TRIBUNE_CHECKS_OFF", [])
TRIBUNE_CHECK_OPTIONS = env_json("TRIBUNE_CHECK_OPTIONS", {})
# Link targets the spam check blocks (subdomains included), on top of its blocked_domains
# option; an environment list so that operators can share one list across sites.
TRIBUNE_BLOCKED_DOMAINS = env_list("TRIBUNE_BLOCKED_DOMAINS", [])
# Where the near-duplicate check keeps its index (tribune/checks/dupindex/base.py): Redis
# when REDIS_URL is set, so that every worker shares one index, else the database. Tests
# use the database unless told otherwise: a shared Redis would outlive their rollbacks.
TRIBUNE_DUPLICATE_INDEX = env_str("TRIBUNE_DUPLICATE_INDEX", "") or (
    "tribune.checks.dupindex.redisindex.RedisIndex"
    if REDIS_URL and not TESTING
    else "tribune.checks.dupindex.database.DatabaseIndex"
)
TRIBUNE_DUPLICATE_REDIS_PREFIX = env_str("CACHE_KEY_PREFIX", "tribune") + ":dupindex:"

# Public API (tribune.api, /api/): origins allowed to call it from a browser ("*": any;
# the API reads no cookies, so this exposes only what a token or the public may see), and
# requests per minute without a token (per address) and with one (per token).
TRIBUNE_API_CORS_ORIGINS = env_list("TRIBUNE_API_CORS_ORIGINS", ["*"])
TRIBUNE_API_RATE_ANONYMOUS = env_int("TRIBUNE_API_RATE_ANONYMOUS", 60)
TRIBUNE_API_RATE_TOKEN = env_int("TRIBUNE_API_RATE_TOKEN", 600)
