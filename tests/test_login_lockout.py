"""The admin login locks a username at one address after repeated failures (django-axes)."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import F
from django.test import RequestFactory, override_settings
from django.urls import reverse

from newsroom.security import forwarded_client_ip
from tests import factories

pytestmark = [
    pytest.mark.django_db,
    # Dozens of logins: a fast hasher, as nothing here is about hashing.
    pytest.mark.usefixtures("_fast_password_hasher"),
]

LOGIN = reverse("admin:login")
PASSWORD = "a-long-editor-password"


@pytest.fixture
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def with_password(user):
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def editor():
    return with_password(factories.editor())


def attempt(client, password, username="editor", address="203.0.113.7", **headers):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
        **headers,
    )


def logged_in(client):
    return "_auth_user_id" in client.session


def test_the_limit_is_five_failures_and_fifteen_minutes_by_default():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME / datetime.timedelta(minutes=1) == 15


def test_failures_below_the_limit_still_let_the_right_password_in_and_are_forgotten(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "wrong").status_code == 200  # the form again, with its error
    response = attempt(client, PASSWORD)
    assert response.status_code == 302 and logged_in(client)

    # The success cleared the count: as many failures again do not lock the login.
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "wrong").status_code == 200
    assert attempt(client, PASSWORD).status_code == 302 and logged_in(client)


def test_the_last_allowed_failure_locks_the_login_even_for_the_right_password(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "wrong")
    locked = attempt(client, "wrong")
    assert locked.status_code == 429
    assert "Try again in 15 minutes" in locked.content.decode()

    right = attempt(client, PASSWORD)
    assert right.status_code == 429
    assert not logged_in(client)


def test_the_lock_holds_one_username_at_one_address_only(client, editor):
    with_password(factories.UserFactory(username="colleague"))
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong")

    assert attempt(client, PASSWORD, username="colleague").status_code == 302
    client.logout()
    assert attempt(client, PASSWORD, address="198.51.100.20").status_code == 302


def test_the_lock_ends_after_the_cool_off(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 429

    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - datetime.timedelta(minutes=1)
    )
    assert attempt(client, PASSWORD).status_code == 302 and logged_in(client)


def test_the_lockout_page_speaks_the_editors_language(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = attempt(client, "wrong", HTTP_ACCEPT_LANGUAGE="de")
    page = response.content.decode()
    assert response.status_code == 429
    assert '<html lang="de"' in page
    assert "Anmeldung gesperrt" in page
    assert "Versuchen Sie es in 15 Minuten erneut." in page
    assert f'href="{LOGIN}"' in page


def test_behind_a_proxy_the_address_is_the_last_forwarded_one():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7"
    )
    # The first entry is whatever the client sent; the last is what the proxy saw.
    assert forwarded_client_ip(request) == "203.0.113.7"
    assert forwarded_client_ip(RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"


@override_settings(AXES_CLIENT_IP_CALLABLE="newsroom.security.forwarded_client_ip")
def test_behind_a_proxy_one_client_locked_out_leaves_the_others_behind_it_free(client, editor):
    proxy = {"address": "10.0.0.2"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert attempt(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy).status_code == 429
    response = attempt(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.20", **proxy)
    assert response.status_code == 302 and logged_in(client)
