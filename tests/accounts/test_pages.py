import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_not_found_page_is_gov_uk_styled(client, world):
    client.force_login(world.csa)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_security_headers_on_every_response(client, world):
    client.force_login(world.csa)
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


def test_pages_carry_no_inline_script(client, world):
    client.force_login(world.csa)
    html = client.get("/").content.decode()
    import re

    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag, tag


def test_analysis_is_in_the_menu_only_for_those_who_may_open_it(world):
    from accounts.context_processors import navigation_for
    from providers.models import Provider

    def labels(user):
        return [item["label"] for item in navigation_for(user, "/")]

    assert "Analysis" in labels(world.csa)
    assert "Analysis" in labels(world.national)
    assert "Analysis" not in labels(world.dcs)
    assert "Analysis" not in labels(world.provider)  # Together for Children is not a RIEP
    world.tfc.kind = Provider.Kind.RIEP
    world.tfc.save()
    world.provider.refresh_from_db()
    assert "Analysis" in labels(world.provider)
