"""The host project's settings: production configuration passes Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    # A clean environment for the subprocess: no test database, no async-safety override.
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="False",
        SECRET_KEY="a-long-random-production-secret-key-with-enough-entropy-0123456789",
        HTTPS="True",
        ALLOWED_HOSTS="summits.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_demo_defaults_are_flagged_by_check_deploy():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr  # the demo secret key


def run_python(code, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY", "DEBUG")
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="newsroom.settings")
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )


SHOW_HTTPS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE, "
    "settings.SECURE_HSTS_SECONDS > 0)"
)


def test_boolean_settings_read_true_and_false_in_any_case():
    for value in ("true", "TRUE", "True", " true "):
        result = run_python(SHOW_HTTPS, HTTPS=value)
        assert result.stdout.split() == ["True", "True", "True"], result.stderr
    result = run_python(SHOW_HTTPS, HTTPS="false")
    assert result.stdout.split() == ["False", "False", "False"], result.stderr


def test_a_boolean_setting_that_is_neither_true_nor_false_stops_the_start_naming_it():
    for value in ("yes", "1", "on", "ture"):
        result = run_python(SHOW_HTTPS, HTTPS=value)
        assert result.returncode != 0
        assert f"HTTPS must be true or false, not '{value}'" in result.stderr


START_APP_SERVER = "import newsroom.{}; print('started')"


def test_an_app_server_with_debug_off_refuses_to_start_on_the_demo_secret_key():
    for entry in ("wsgi", "asgi"):
        refused = run_python(START_APP_SERVER.format(entry), DEBUG="False")
        assert refused.returncode != 0 and "started" not in refused.stdout
        assert "SECRET_KEY is not set" in refused.stderr

        own_key = run_python(
            START_APP_SERVER.format(entry),
            DEBUG="False",
            SECRET_KEY="a-key-of-its-own-" * 4,
            # Not what is tested here: no collected static files needed (see below).
            STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
        assert own_key.stdout.strip() == "started", own_key.stderr
        # The demo (DEBUG on) runs on the demo key as before.
        assert run_python(START_APP_SERVER.format(entry), DEBUG="true").returncode == 0


def test_an_app_server_with_debug_off_refuses_to_start_before_collectstatic(tmp_path):
    production = {"DEBUG": "False", "SECRET_KEY": "a-key-of-its-own-" * 4}
    empty = tmp_path / "static"
    refused = run_python(START_APP_SERVER.format("wsgi"), STATIC_ROOT=str(empty), **production)
    assert refused.returncode != 0
    assert "run `manage.py collectstatic` first" in refused.stderr

    collected = run_manage("collectstatic", "--noinput", STATIC_ROOT=str(empty), **production)
    assert collected.returncode == 0, collected.stderr
    started = run_python(START_APP_SERVER.format("wsgi"), STATIC_ROOT=str(empty), **production)
    assert started.stdout.strip() == "started", started.stderr
