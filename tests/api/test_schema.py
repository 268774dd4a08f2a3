"""The OpenAPI 3 schema: valid (drf-spectacular's validation, no warnings), served at
``/api/v1/schema/``, rendered for signed-in people from the portal's own static files, and naming
every field the API returns."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from tests.api.endpoints import ENDPOINTS


def test_the_schema_is_valid_openapi_3_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target), stdout=StringIO())
    assert target.read_text().startswith("openapi: 3.0.3")
    validate_schema(SchemaGenerator().get_schema(request=None, public=True))


def _schema(cast):
    response = cast.client("admin").get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_served_and_documents_the_token(cast):
    schema = _schema(cast)
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert "/api/v1/plans/" in schema["paths"]
    assert set(schema["paths"]["/api/v1/plans/"]) == {"get"}  # read-only: no other method documented
    parameters = {p["name"] for p in schema["paths"]["/api/v1/plans/"]["get"]["parameters"]}
    assert {"cursor", "period", "region", "gss_code", "status", "authority"} <= parameters


def test_the_documentation_is_for_signed_in_people_and_loads_nothing_from_elsewhere(cast, client):
    url = reverse("api:docs")
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    client.force_login(cast.world.users["la_officer"])
    page = client.get(url).content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert not re.search(r"(src|href)=\"https?://", page)
    script = client.get(url, {"script": ""})
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()
    assert not re.search(r"<script>|<style", page), "inline script or style would break the Content-Security-Policy"
    assert "/static/css/api-docs.css" in page


# --- every field the API returns is in the schema ----------------------------------------------------


def _resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    if "allOf" in node and len(node["allOf"]) == 1:
        return _resolve(schema, node["allOf"][0])
    return node


def _undocumented(schema, node, value, where):
    """The paths (``where.field``) of values in ``value`` that ``node`` does not describe."""
    node = _resolve(schema, node)
    missing = []
    if isinstance(value, dict):
        properties = node.get("properties")
        if properties is None:
            assert node.get("additionalProperties") is not None or node.get("type") == "object", where
            extra = node.get("additionalProperties")
            for key, item in value.items():
                if isinstance(extra, dict) and extra:
                    missing += _undocumented(schema, extra, item, f"{where}.{key}")
            return missing
        for key, item in value.items():
            if key not in properties:
                missing.append(f"{where}.{key}")
            else:
                missing += _undocumented(schema, properties[key], item, f"{where}.{key}")
    elif isinstance(value, list) and "items" in node:
        for item in value[:3]:
            missing += _undocumented(schema, node["items"], item, f"{where}[]")
    return missing


def _operation(schema, url):
    for template, operations in schema["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, url):
            return operations["get"]
    raise AssertionError(f"{url} is not in the schema")


@pytest.mark.parametrize(
    "endpoint", [e for e in ENDPOINTS if e.url_name != "api:schema" and e.allowed != set()], ids=lambda e: e.name
)
def test_every_field_returned_is_in_the_schema(cast, endpoint):
    schema = _schema(cast)
    url = endpoint.url(cast)
    response = cast.client("admin").get(url)
    assert response.status_code == 200
    node = _operation(schema, url)["responses"]["200"]["content"]["application/json"]["schema"]
    data = response.json()
    assert data, "an empty answer would prove nothing"
    assert _undocumented(schema, node, data, endpoint.name) == []


def test_the_field_check_finds_an_undocumented_field(cast):
    schema = _schema(cast)
    node = {"$ref": "#/components/schemas/Region"}
    assert _undocumented(schema, node, {"id": 1, "slug": "north-east", "secret": "x"}, "region") == ["region.secret"]
