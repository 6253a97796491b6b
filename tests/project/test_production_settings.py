"""Production settings refuse to start without their secrets and pass Django's deploy checks.

Each test runs ``manage.py`` in a fresh process with a hand-built environment, because settings
are read once at import: the test process itself is already configured for tests.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

REPO_ROOT = Path(__file__).resolve().parents[2]
REQUIRED_IN_PRODUCTION = ["SECRET_KEY", "ALLOWED_HOSTS", "FIELD_ENCRYPTION_KEYS"]
PRINT_DEBUG = "from django.conf import settings; print(settings.DEBUG)"


def base_environment() -> dict[str, str]:
    """Only what a process needs to run: nothing from the test run's settings leaks in.

    In particular DATABASE_URL (CI points it at PostgreSQL) and DJANGO_SETTINGS_MODULE
    (tests.settings) are left out unless a test sets them.
    """
    keep = ["PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT"]
    return {name: os.environ[name] for name in keep if name in os.environ}


@pytest.fixture
def production_env(tmp_path) -> dict[str, str]:
    """A complete, valid production configuration using a throwaway SQLite file."""
    return {
        **base_environment(),
        "ALONGSIDE_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "alongside.example.org",
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'alongside.sqlite3'}",
    }


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    assert "DJANGO_SETTINGS_MODULE" not in env
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def print_setting(env: dict[str, str], expression: str) -> subprocess.CompletedProcess[str]:
    return manage(env, "shell", "--no-imports", "-c", expression)


def last_line(output: str) -> str:
    lines = output.strip().splitlines()
    return lines[-1] if lines else ""


def test_complete_production_configuration_passes_the_deploy_checks(production_env):
    result = manage(production_env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("variable", REQUIRED_IN_PRODUCTION)
def test_production_refuses_to_start_without(variable, production_env):
    del production_env[variable]
    result = print_setting(production_env, PRINT_DEBUG)
    assert result.returncode != 0
    assert variable in result.stderr
    assert "True" not in result.stdout


@pytest.mark.parametrize("variable", REQUIRED_IN_PRODUCTION)
def test_a_blank_required_variable_counts_as_missing(variable, production_env):
    production_env[variable] = "   "
    result = manage(production_env, "check")
    assert result.returncode != 0
    assert variable in result.stderr


def test_without_alongside_env_the_mode_is_production(production_env):
    del production_env["ALONGSIDE_ENV"]
    result = print_setting(
        production_env, "from django.conf import settings; print(settings.ALONGSIDE_ENV)"
    )
    assert result.returncode == 0, result.stderr
    assert last_line(result.stdout) == "production"


def test_without_alongside_env_secrets_are_still_required():
    result = print_setting(base_environment(), PRINT_DEBUG)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "True" not in result.stdout


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ALONGSIDE_ENV", "staging"),
        ("SECURE_SSL_REDIRECT", "maybe"),
        ("SECURE_HSTS_SECONDS", "a year"),
        ("SESSION_IDLE_TIMEOUT_MINUTES", "thirty"),
        ("SESSION_IDLE_TIMEOUT_MINUTES", "0"),
        ("EMAIL_PORT", "smtp"),
    ],
)
def test_a_bad_value_stops_start_up_with_a_message_naming_the_variable(
    variable, value, production_env
):
    production_env[variable] = value
    result = manage(production_env, "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{variable} must be" in result.stderr
    assert value in result.stderr


def test_a_malformed_field_encryption_key_stops_start_up(production_env):
    production_env["FIELD_ENCRYPTION_KEYS"] = f"{Fernet.generate_key().decode()},not-a-fernet-key"
    result = manage(production_env, "check")
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS entry 2" in result.stdout + result.stderr


def test_debug_is_off_in_production_even_if_asked_for(production_env):
    production_env["DEBUG"] = "true"
    result = print_setting(production_env, PRINT_DEBUG)
    assert result.returncode == 0, result.stderr
    assert last_line(result.stdout) == "False"


def test_debug_is_off_in_test_mode(tmp_path):
    env = {
        **base_environment(),
        "ALONGSIDE_ENV": "test",
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'alongside.sqlite3'}",
    }
    result = print_setting(env, PRINT_DEBUG)
    assert result.returncode == 0, result.stderr
    assert last_line(result.stdout) == "False"


def test_database_url_selects_postgresql(production_env):
    production_env["DATABASE_URL"] = "postgresql://alongside@db.example.org:5432/alongside"
    result = print_setting(
        production_env,
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
    )
    assert result.returncode == 0, result.stderr
    assert last_line(result.stdout) == "django.db.backends.postgresql"
