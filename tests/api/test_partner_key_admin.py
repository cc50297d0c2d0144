"""Partner keys in the admin: the key is shown once on creation and works; revoking stops it."""

import re

from django.urls import reverse
from rest_framework.test import APIClient

from summits.partners import PartnerKey

URL = "/api/v1/summits/"


def test_admin_creates_a_key_shown_once(admin_client):
    response = admin_client.post(
        reverse("admin:summits_partnerkey_add"),
        {"name": "Partner Daily", "rate_limit": "100/min", "expires_at_0": "", "expires_at_1": ""},
        follow=True,
    )
    assert response.status_code == 200
    (message,) = [str(m) for m in response.context["messages"] if "copy it now" in str(m)]
    key = re.search(r"is (\S+) —", message).group(1)
    record = PartnerKey.objects.get()
    assert key.startswith(record.prefix + ".")
    assert key not in record.hashed_key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert client.get(URL).status_code == 200
    # Later views of the key's page never show it again.
    page = admin_client.get(reverse("admin:summits_partnerkey_change", args=[record.pk]))
    assert key not in page.content.decode()


def test_admin_refuses_a_malformed_rate(admin_client):
    response = admin_client.post(
        reverse("admin:summits_partnerkey_add"),
        {"name": "Partner", "rate_limit": "fast", "expires_at_0": "", "expires_at_1": ""},
    )
    assert response.status_code == 200
    assert "rate_limit" in response.context["adminform"].form.errors
    assert not PartnerKey.objects.exists()


def test_revoke_action_stops_the_key(admin_client, partner_key):
    admin_client.post(
        reverse("admin:summits_partnerkey_changelist"),
        {"action": "revoke_selected", "_selected_action": [partner_key.pk]},
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {partner_key.key}")
    response = client.get(URL)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_editors_cannot_see_partner_keys(editor_client):
    response = editor_client.get(reverse("admin:summits_partnerkey_changelist"))
    assert response.status_code == 403
