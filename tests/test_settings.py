"""Production settings pass Django's deployment checks and refuse unsafe defaults."""

import os
import subprocess
import sys

from django.conf import settings

ROOT = settings.BASE_DIR


def run_manage(*args, **env):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-for-the-check",
        ALLOWED_HOSTS="crm.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_the_development_secret_key():
    result = run_manage("check", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_migrations_are_complete():
    result = run_manage(
        "makemigrations",
        "--check",
        "--dry-run",
        SECRET_KEY="x" * 60,
        DJANGO_SETTINGS_MODULE="config.settings.base",
    )
    assert result.returncode == 0, result.stdout + result.stderr
