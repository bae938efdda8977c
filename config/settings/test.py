"""Test settings: the same PostgreSQL and Redis as the product, isolated keys."""

import os

os.environ.setdefault("REDIS_KEY_PREFIX", "portolan-test")
# No connection pool in tests: pytest-django creates and drops the test database.
os.environ["DB_POOL_MAX_SIZE"] = "0"

from .base import *  # noqa: E402,F403
from .base import CACHES, CHANNEL_LAYERS, Q_CLUSTER  # noqa: E402

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Every xdist worker gets its own key prefix so tests never see each other's data.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
_prefix = f"portolan-test-{_worker}"
CACHES["default"]["KEY_PREFIX"] = _prefix
CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"{_prefix}:asgi"
Q_CLUSTER["name"] = _prefix
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Tasks run in-process as soon as they are enqueued (django-q2's sync mode): the same
# task functions as the cluster runs, deterministic in tests.
Q_CLUSTER["sync"] = True
# A worker thread has its own connection and cannot see a test's open transaction.
PORTOLAN_WEBHOOK_THREADS = False
# Record a webhook's messages in its own transaction, so a test sees them at once.
PORTOLAN_RECORD_INBOUND_ON_COMMIT = False
