"""The client's address behind proxies (``accounts.client_ip``, ``TRUSTED_PROXY_COUNT``): one answer
for the sign-in lockout, the audit log and the forgot-password throttle, never a hop the client wrote."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.client_ip import client_ip
from accounts.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.accounts.mail import emails_to

PASSWORD = "correct-horse-battery"
BALANCER = "10.0.0.5"


def request(remote=BALANCER, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_with_no_trusted_proxy_a_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request("198.51.100.20", "203.0.113.99")) == "198.51.100.20"


def test_one_trusted_proxy_takes_the_hop_it_appended_not_the_clients_own(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request(forwarded="203.0.113.7")) == "203.0.113.7"
    spoofed = request(forwarded="192.0.2.1, 203.0.113.7")  # the client wrote 192.0.2.1 itself
    assert client_ip(spoofed) == "203.0.113.7"


def test_two_trusted_proxies_take_the_second_hop_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request(forwarded="192.0.2.1, 203.0.113.7, 10.0.0.9")) == "203.0.113.7"
    assert client_ip(request(forwarded="203.0.113.7")) == "203.0.113.7", "fewer hops: all written by proxies"


def test_no_header_or_a_malformed_hop_falls_back_to_the_connection(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request()) == BALANCER
    assert client_ip(request(forwarded="not-an-address")) == BALANCER
    assert client_ip(request(forwarded="203.0.113.7:51234")) == "203.0.113.7"
    assert client_ip(request(forwarded="[2001:db8::1]:443")) == "2001:db8::1"
    assert client_ip(None) is None


def sign_in(client, client_address, password, forged=""):
    forwarded = f"{forged}, {client_address}" if forged else client_address
    return client.post(
        reverse("accounts:login"),
        {"username": "csa@example.gov.uk", "password": password},
        REMOTE_ADDR=BALANCER,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
def test_the_lockout_counts_per_real_client_behind_the_load_balancer(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(email="csa@example.gov.uk")
    attacker = Client()
    for n in range(5):  # a fresh forged address on every try does not escape the count
        sign_in(attacker, "203.0.113.66", "wrong", forged=f"192.0.2.{n}")
    assert sign_in(attacker, "203.0.113.66", PASSWORD).status_code == 429
    colleague = Client()
    assert sign_in(colleague, "198.51.100.20", PASSWORD).status_code == 302, "another client is not locked out"
    failed = AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN_FAILED)
    assert set(failed.values_list("ip_address", flat=True)) == {"203.0.113.66"}
    signed_in = AuditEvent.objects.get(action=AuditEvent.Action.SIGNED_IN)
    assert signed_in.ip_address == "198.51.100.20"


@pytest.mark.django_db
def test_the_forgot_password_throttle_counts_per_real_client(settings, client):
    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("accounts:password_reset")
    for n in range(20):
        client.post(
            url, {"email": f"someone{n}@example.gov.uk"}, REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR="203.0.113.66"
        )
    UserFactory(email="dcs@example.gov.uk")
    refused = client.post(
        url, {"email": "dcs@example.gov.uk"}, REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR="203.0.113.66"
    )
    assert "too many requests from your network" in refused.content.decode()
    other = client.post(
        url, {"email": "dcs@example.gov.uk"}, REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR="198.51.100.20"
    )
    assert other.status_code == 302
    assert len(emails_to("dcs@example.gov.uk")) == 1
