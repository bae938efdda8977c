"""Settings shared by every environment; development defaults come from here.

Configuration is read from the environment (and a `.env` file in development).
`DATABASE_URL` and `REDIS_URL` are set by `scripts/launcher.py` when it starts the
embedded PostgreSQL and Redis, so the code paths are the same as in production.
"""

import os
from pathlib import Path

# Haystack phones home on import unless told not to; it must never do so here.
os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

import dj_database_url  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402
from dotenv import load_dotenv  # noqa: E402

BASE_DIR = Path(__file__).resolve().parent.parent.parent
load_dotenv(BASE_DIR / ".env")


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get(
    "SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789"
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000"
)

INSTALLED_APPS = [
    "modeltranslation",  # must precede django.contrib.admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "django_htmx",
    "django_countries",
    "channels",
    "django_q",
    "anymail",
    "simple_history",
    "crm",
    "assistant",
    "channels_app",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = None

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

# --- Data stores -----------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portolan"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
# Under ASGI, Django's persistent connections are not reused across requests; a
# connection pool is (psycopg-pool). Web processes only: the launcher sets
# DB_POOL_MAX_SIZE for uvicorn. Never for `qcluster`, whose forked workers would share
# the parent's pooled connections.
_pool_max = int(os.environ.get("DB_POOL_MAX_SIZE", "0"))
if _pool_max:
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": _pool_max,
        "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "10")),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
REDIS_KEY_PREFIX = os.environ.get("REDIS_KEY_PREFIX", "portolan")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": REDIS_KEY_PREFIX,
    }
}

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        # Capacity: messages a busy process may have waiting per channel before the
        # layer drops new ones (the default, 100, is too low for a burst of replies).
        "CONFIG": {"hosts": [REDIS_URL], "prefix": f"{REDIS_KEY_PREFIX}:asgi", "capacity": 1000},
    }
}

Q_CLUSTER = {
    "name": REDIS_KEY_PREFIX,
    "workers": int(os.environ.get("Q_WORKERS", "2")),
    "timeout": 60,
    "retry": 120,
    "redis": REDIS_URL,
    "catch_up": False,
    # Successful tasks are not stored: every message makes several, and their results
    # are in our own rows (messages, outbox). Failures are kept for the admin.
    "save_limit": int(os.environ.get("Q_SAVE_LIMIT", "-1")),
    "label": _("Task queue"),
}

# --- Auth ------------------------------------------------------------------------

AUTH_USER_MODEL = "crm.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "crm:dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages -------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("ru", _("Russian")),
    ("ar", _("Arabic")),
    ("fr", _("French")),
    ("de", _("German")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- Static files ----------------------------------------------------------------

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- REST API --------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["crm.api.permissions.IsStaffUser"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "crm.api.pagination.PagePagination",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "crm.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Portolan API",
    "DESCRIPTION": "CRM for export sales teams: customers, catalog, pipeline and timeline.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "LanguageEnum": "crm.models.choices.Language",
        "ChannelEnum": "crm.models.choices.Channel",
        "InteractionKindEnum": "crm.models.timeline.InteractionKind",
        "AuthorEnum": "crm.models.timeline.Author",
        "PaymentKindEnum": "crm.models.sales.PaymentKind",
        "QuoteStatusEnum": "crm.models.sales.QuoteStatus",
        "OrderStatusEnum": "crm.models.sales.OrderStatus",
    },
}

# --- Logging ---------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django-q": {"level": "WARNING"},
        # httpx logs every request URL at INFO; Telegram's carry the bot token.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}

# --- Portolan --------------------------------------------------------------------

# Demo users get the development passwords printed by `make run` only where this
# is true; production settings turn it off.
PORTOLAN_DEMO_PASSWORDS = True
PORTOLAN_SELLER = {
    "name": os.environ.get("SELLER_NAME", "Ningbo Brightway Lighting Co., Ltd."),
    "address": os.environ.get(
        "SELLER_ADDRESS", "No. 88 Yinxian Avenue, Yinzhou District, Ningbo 315100, Zhejiang, China"
    ),
    "email": os.environ.get("SELLER_EMAIL", "sales@brightway-lighting.example"),
    "phone": os.environ.get("SELLER_PHONE", "+86 574 8888 6600"),
    "website": os.environ.get("SELLER_WEBSITE", "https://www.brightway-lighting.example"),
    "port_of_loading": os.environ.get("SELLER_PORT_OF_LOADING", "Ningbo"),
    # When a person answers: the assistant promises follow-ups within these hours.
    "timezone": os.environ.get("SELLER_TIMEZONE", "Asia/Shanghai"),
    "business_days": [int(day) for day in env_list("SELLER_BUSINESS_DAYS", "0,1,2,3,4")],
    "business_hours": (
        int(os.environ.get("SELLER_OPENS_AT_HOUR", "9")),
        int(os.environ.get("SELLER_CLOSES_AT_HOUR", "18")),
    ),
}
# Links sent to buyers (a quote's PDF) start with this.
PORTOLAN_PUBLIC_URL = os.environ.get("PORTOLAN_PUBLIC_URL", "http://127.0.0.1:8000")
# --- Assistant decisions -----------------------------------------------------------

# A quote the assistant prices at or under this (in the currency below) goes to the
# buyer at once; above it, a draft waits for the owner's approval.
ASSISTANT_AUTO_SEND_LIMIT = os.environ.get("ASSISTANT_AUTO_SEND_LIMIT", "20000")
ASSISTANT_AUTO_SEND_CURRENCY = os.environ.get("ASSISTANT_AUTO_SEND_CURRENCY", "USD")
# The lowest price the assistant may agree to, as a discount off the buyer's own price.
ASSISTANT_PRICE_FLOOR_PERCENT = os.environ.get("ASSISTANT_PRICE_FLOOR_PERCENT", "5")
# Where the knowledge base is indexed: "memory" (haystack's in-memory BM25, rebuilt per
# process from the database) or "pgvector" (PostgreSQL with the 'vector' extension, table
# assistant_knowledge_vectors, lexical hashed n-gram embeddings; docs/assistant.md).
ASSISTANT_DOCUMENT_STORE = os.environ.get("ASSISTANT_DOCUMENT_STORE", "memory")
# The database of the pgvector store: a libpq URL or key=value string; "" = the project
# database (DATABASES["default"]).
ASSISTANT_PGVECTOR_URL = os.environ.get("ASSISTANT_PGVECTOR_URL", "")
# A buyer waiting this long (business minutes) for a person: the assignee is reminded,
# then the team's managers are alerted.
PORTOLAN_SLA_REMINDER_MINUTES = int(os.environ.get("PORTOLAN_SLA_REMINDER_MINUTES", "30"))
PORTOLAN_SLA_ALERT_MINUTES = int(os.environ.get("PORTOLAN_SLA_ALERT_MINUTES", "120"))
# "llm": the console shows buyers' messages translated into the rep's language by the
# ASSISTANT_LLM_* endpoint; "" (default): the original only.
CONSOLE_TRANSLATION = os.environ.get("CONSOLE_TRANSLATION", "")
# Replies that carry a quote wait for a person's approval as drafts (all conversations).
ASSISTANT_DRAFT_QUOTES = env_bool("ASSISTANT_DRAFT_QUOTES", False)
# Conversations one rep may have in hand before a handoff goes to a teammate.
PORTOLAN_REP_CAPACITY = int(os.environ.get("PORTOLAN_REP_CAPACITY", "10"))
# Hours a person needs to act on a task the assistant created, within business hours.
ASSISTANT_FOLLOW_UP_HOURS = int(os.environ.get("ASSISTANT_FOLLOW_UP_HOURS", "4"))
# --- Channels ----------------------------------------------------------------------

CHANNEL_ADAPTERS = {
    "web": "channels_app.adapters.web.WebChatAdapter",
    "whatsapp": "channels_app.adapters.whatsapp.WhatsAppAdapter",
    "telegram": "channels_app.adapters.telegram.TelegramAdapter",
    "wechat": "channels_app.adapters.wechat.WeChatAdapter",
    "email": "channels_app.adapters.email.EmailAdapter",
}
PORTOLAN_MAX_MESSAGE_CHARS = 20000
# A webhook keeps a receipt and answers; a task records it (see channels_app/services/messaging.py).
PORTOLAN_RECORD_INBOUND_ON_COMMIT = True
# Who answers a buyer's message: the assistant, or
# "channels_app.services.acknowledge.conversation_turn_acknowledge" (a thank-you only).
PORTOLAN_TURN_HANDLER = os.environ.get(
    "TURN_HANDLER", "assistant.services.conversation_turn_handle"
)
# Webhooks run in a thread pool, concurrently (see channels_app/views.py).
PORTOLAN_WEBHOOK_THREADS = env_bool("WEBHOOK_THREADS", True)
PORTOLAN_OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "6"))
PORTOLAN_OUTBOX_BACKOFF_SECONDS = float(os.environ.get("OUTBOX_BACKOFF_SECONDS", "30"))
PORTOLAN_OUTBOX_BACKOFF_MAX_SECONDS = float(os.environ.get("OUTBOX_BACKOFF_MAX_SECONDS", "3600"))
PORTOLAN_OUTBOX_STUCK_SECONDS = float(os.environ.get("OUTBOX_STUCK_SECONDS", "300"))

WHATSAPP_APP_SECRET = os.environ.get("WHATSAPP_APP_SECRET", "")
WHATSAPP_VERIFY_TOKEN = os.environ.get("WHATSAPP_VERIFY_TOKEN", "")
WHATSAPP_ACCESS_TOKEN = os.environ.get("WHATSAPP_ACCESS_TOKEN", "")
WHATSAPP_PHONE_NUMBER_ID = os.environ.get("WHATSAPP_PHONE_NUMBER_ID", "")
WHATSAPP_API_BASE = os.environ.get("WHATSAPP_API_BASE", "https://graph.facebook.com")
WHATSAPP_API_VERSION = os.environ.get("WHATSAPP_API_VERSION", "v21.0")
WHATSAPP_TEMPLATE_NAME = os.environ.get("WHATSAPP_TEMPLATE_NAME", "")
TELEGRAM_BOT_TOKEN = os.environ.get("TELEGRAM_BOT_TOKEN", "")
TELEGRAM_WEBHOOK_SECRET = os.environ.get("TELEGRAM_WEBHOOK_SECRET", "")
TELEGRAM_API_BASE = os.environ.get("TELEGRAM_API_BASE", "https://api.telegram.org")
WECHAT_TOKEN = os.environ.get("WECHAT_TOKEN", "")
WECHAT_APP_ID = os.environ.get("WECHAT_APP_ID", "")
WECHAT_APP_SECRET = os.environ.get("WECHAT_APP_SECRET", "")
WECHAT_ENCODING_AES_KEY = os.environ.get("WECHAT_ENCODING_AES_KEY", "")
WECHAT_API_BASE = os.environ.get("WECHAT_API_BASE", "https://api.weixin.qq.com")
# With an EncodingAESKey, only encrypted pushes are accepted (set false for WeChat's
# "compatible" mode, which also sends plain ones).
WECHAT_REQUIRE_SAFE_MODE = env_bool("WECHAT_REQUIRE_SAFE_MODE", bool(WECHAT_ENCODING_AES_KEY))
WECHAT_PASSIVE_REPLY_SECONDS = float(os.environ.get("WECHAT_PASSIVE_REPLY_SECONDS", "4"))
WECHAT_TIMESTAMP_TOLERANCE_SECONDS = int(
    os.environ.get("WECHAT_TIMESTAMP_TOLERANCE_SECONDS", "300")
)
WECHAT_HTTP_TIMEOUT_SECONDS = float(os.environ.get("WECHAT_HTTP_TIMEOUT_SECONDS", "10"))
EMAIL_INBOUND_SECRET = os.environ.get("EMAIL_INBOUND_SECRET", "")
# Raw MIME: the authserv-id of OUR receiving MTA's Authentication-Results headers.
EMAIL_AUTHSERV_ID = os.environ.get("EMAIL_AUTHSERV_ID", "")
# False: every email sender counts as authenticated (no MTA adds Authentication-Results).
EMAIL_REQUIRE_AUTHENTICATED_SENDER = env_bool("EMAIL_REQUIRE_AUTHENTICATED_SENDER", True)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "sales@brightway-lighting.example")
ANYMAIL = {
    key: value
    for key, value in {
        "WEBHOOK_SECRET": os.environ.get("ANYMAIL_WEBHOOK_SECRET", ""),
        "MAILGUN_WEBHOOK_SIGNING_KEY": os.environ.get("MAILGUN_WEBHOOK_SIGNING_KEY", ""),
        "MAILGUN_API_KEY": os.environ.get("MAILGUN_API_KEY", ""),
        "POSTMARK_SERVER_TOKEN": os.environ.get("POSTMARK_SERVER_TOKEN", ""),
    }.items()
    if value
}
WEB_CHAT_MESSAGES_PER_MINUTE = int(os.environ.get("WEB_CHAT_MESSAGES_PER_MINUTE", "20"))
WEB_CHAT_SESSIONS_PER_IP_PER_HOUR = int(os.environ.get("WEB_CHAT_SESSIONS_PER_IP_PER_HOUR", "30"))
PORTOLAN_EMAIL_FROM = os.environ.get("PORTOLAN_EMAIL_FROM", "sales@brightway-lighting.example")
PORTOLAN_EMAIL_DOMAIN = os.environ.get("PORTOLAN_EMAIL_DOMAIN", "brightway-lighting.example")

# Addresses at these domains say nothing about the buyer's company.
PORTOLAN_FREEMAIL_DOMAINS = frozenset(
    env_list(
        "FREEMAIL_DOMAINS",
        "gmail.com,yahoo.com,hotmail.com,outlook.com,live.com,icloud.com,qq.com,163.com,126.com,"
        "mail.ru,yandex.ru,gmx.de,web.de,aol.com,proton.me,protonmail.com,uol.com.br,bol.com.br",
    )
)
PORTOLAN_REFERENCE_CATALOG = BASE_DIR / "crm" / "fixtures" / "reference" / "catalog.json"

# --- Assistant: optional OpenAI-compatible reply wording (assistant/replies/llm.py) ---
# Empty base URL = off: replies are the template generator's drafts as they are.
ASSISTANT_LLM_BASE_URL = os.environ.get("ASSISTANT_LLM_BASE_URL", "").strip()
ASSISTANT_LLM_MODEL = os.environ.get("ASSISTANT_LLM_MODEL", "gpt-4o-mini")
ASSISTANT_LLM_API_KEY = os.environ.get("ASSISTANT_LLM_API_KEY", "not-needed")
ASSISTANT_LLM_TIMEOUT_SECONDS = float(os.environ.get("ASSISTANT_LLM_TIMEOUT_SECONDS", "4.0"))
ASSISTANT_LLM_MAX_TOKENS = int(os.environ.get("ASSISTANT_LLM_MAX_TOKENS", "400"))
# --- end assistant LLM wording ---
