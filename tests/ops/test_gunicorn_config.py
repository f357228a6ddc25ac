"""gunicorn as config/gunicorn.py sets it up: no Server header, log lines as JSON."""

import datetime as dt
import io
import json
import logging
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

from gunicorn.config import Config
from gunicorn.http.wsgi import Response

import config.gunicorn as gunicorn_settings

ROOT = Path(__file__).resolve().parents[2]


def configured() -> Config:
    """gunicorn's Config with the settings file applied, as `gunicorn -c config/gunicorn.py` does."""
    cfg = Config()
    for name in ("accesslog", "errorlog", "logger_class", "control_socket_disable"):
        cfg.set(name, getattr(gunicorn_settings, name))
    return cfg


def test_responses_carry_no_server_header():
    request = SimpleNamespace(version=(1, 1), should_close=lambda: False, method="GET")
    response = Response(request, mock.Mock(), configured())
    response.status = "200 OK"
    response.status_code = 200
    headers = response.default_headers()
    assert headers[0].startswith("HTTP/1.1 200")
    assert not [line for line in headers if line.lower().startswith("server:")]
    assert any(line.startswith("Date:") for line in headers)


def test_access_and_error_lines_are_json():
    logger = gunicorn_settings.JsonLogger(configured())
    streams = {}
    for name, log in (("access", logger.access_log), ("error", logger.error_log)):
        streams[name] = io.StringIO()
        for handler in log.handlers:
            assert isinstance(handler, logging.StreamHandler)
            handler.setStream(streams[name])
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/api/v1/evaluate",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_USER_AGENT": "curl/8",
        "RAW_URI": "/api/v1/evaluate",
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    response = SimpleNamespace(status="429 Too Many Requests", sent=120, headers=[])
    logger.access(response, SimpleNamespace(headers=[]), environ, dt.timedelta(milliseconds=12))
    logger.error("Worker (pid:%s) was sent SIGKILL!", 4242)

    access = json.loads(streams["access"].getvalue().strip())
    assert access["logger"] == "gunicorn.access"
    assert (access["method"], access["path"], access["status"]) == ("GET", "/api/v1/evaluate", 429)
    assert access["duration_ms"] == 12.0
    error = json.loads(streams["error"].getvalue().strip())
    assert error["level"] == "ERROR"
    assert error["message"] == "Worker (pid:4242) was sent SIGKILL!"


def test_the_readme_serves_with_this_config():
    assert "gunicorn -c config/gunicorn.py config.wsgi" in (ROOT / "README.md").read_text()
