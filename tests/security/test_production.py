"""Production settings: deploy checks pass, no secret means no start, headers on every page."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "PATH": os.environ.get("PATH", ""),
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "prod-" + "k3y-" * 15,
    "DJANGO_ALLOWED_HOSTS": "underwater.example",
    "DATABASE_URL": "sqlite:////tmp/underwater-deploy-check.sqlite3",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret():
    env = {k: v for k, v in PROD_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


@pytest.mark.django_db
def test_every_page_has_a_nonce_csp_without_unsafe_inline_scripts(client, seeded):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "'nonce-" in script_src
    nonce = script_src.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()  # htmx's script tag carries it
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/platforms/", "/api/", "/admin/login/"])
def test_security_headers(client, path):
    response = client.get(path, secure=True)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "max-age=31536000" in response["Strict-Transport-Security"]
    assert "Content-Security-Policy" in response


@pytest.mark.django_db
def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_friendly_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


@pytest.mark.django_db
@override_settings(RATE_LIMITS={"api": (3, 60), "calculator": (3, 60)})
def test_api_is_rate_limited_per_client_with_retry_after(client):
    url = "/api/v1/evaluate?entry_price=50000&leverage=10&margin=1000"
    statuses = [client.get(url).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get(url)
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert "Too many requests" in limited.json()["errors"]["__all__"][0]
    other_client = client.get(url, REMOTE_ADDR="10.9.8.7")
    assert other_client.status_code == 200


@pytest.mark.django_db
@override_settings(RATE_LIMITS={"api": (100, 60), "calculator": (2, 60)})
def test_calculator_partial_is_rate_limited(client, seeded):
    headers = {"HX-Request": "true"}
    assert client.get("/", headers=headers).status_code == 200
    assert client.get("/", headers=headers).status_code == 200
    limited = client.get("/", headers=headers)
    assert limited.status_code == 429
    assert limited["Retry-After"]
    # the maths a redraw fetches counts against the same limit
    assert client.get("/calculator/maths", headers=headers).status_code == 429


@pytest.mark.django_db
def test_admin_login_is_throttled(client, django_user_model):
    django_user_model.objects.create_superuser("boss", "b@example.com", "right-Pass-1")
    statuses = [
        client.post("/admin/login/", {"username": "boss", "password": "wrong"}).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks the account
    locked = client.post("/admin/login/", {"username": "boss", "password": "right-Pass-1"})
    assert locked.status_code == 429


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "resource_policy"),
    [
        ("/", "same-origin"),
        ("/api/", "same-origin"),
        ("/static/css/site.css", "same-origin"),
        ("/healthz", "same-origin"),
        ("/embed/", "cross-origin"),  # other sites frame the widget
        ("/static/embed.js", "cross-origin"),  # and load its loader script
    ],
)
def test_permissions_and_cross_origin_resource_policy(client, seeded, path, resource_policy):
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in policy
    assert response["Cross-Origin-Resource-Policy"] == resource_policy
