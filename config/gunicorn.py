"""gunicorn's settings for production: `gunicorn -c config/gunicorn.py config.wsgi`.

- No `Server: gunicorn` header: it tells a scanner which server and which bugs to try, and
  gunicorn has no setting for it, so its response class leaves the line out (the proxy in front
  may add its own; nginx: `server_tokens off`).
- gunicorn's own log lines (its error log and one access line per request) are JSON objects
  like the app's (config/logging.py), so one parser reads the whole stream.

Command-line flags override what is set here (e.g. `--bind`, `--workers`).
"""

from __future__ import annotations

import os

from gunicorn.glogging import Logger
from gunicorn.http import wsgi as gunicorn_wsgi

from config.logging import JsonFormatter

bind = os.environ.get("GUNICORN_BIND") or "127.0.0.1:8000"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1))
accesslog = "-"
errorlog = "-"
logger_class = "config.gunicorn.JsonLogger"
# gunicorn 27's control socket lives at one path per user: two instances on a host would fight
# over it, and nothing here uses it.
control_socket_disable = True


class JsonLogger(Logger):
    """gunicorn's logger with JSON lines: the error log as is, each access as its fields."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(JsonFormatter())

    def access(self, resp, req, environ, request_time) -> None:
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        fields = {
            "method": environ.get("REQUEST_METHOD", ""),
            "path": environ.get("PATH_INFO", ""),
            "status": int(status) if str(status).isdigit() else status,
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "bytes": getattr(resp, "sent", None),
            "remote_addr": environ.get("REMOTE_ADDR", ""),
            "user_agent": environ.get("HTTP_USER_AGENT", ""),
        }
        self.access_log.info(
            "%s %s %s", fields["method"], fields["path"], fields["status"], extra={"http": fields}
        )


def _without_server_header(default_headers):
    def headers(self) -> list[str]:
        return [line for line in default_headers(self) if not line.startswith("Server:")]

    headers.drops_server_header = True  # type: ignore[attr-defined]  # read by the patch's guard
    return headers


# gunicorn reads this file, then imports it as config.gunicorn for the logger class: patch once.
if not getattr(gunicorn_wsgi.Response.default_headers, "drops_server_header", False):
    gunicorn_wsgi.Response.default_headers = _without_server_header(
        gunicorn_wsgi.Response.default_headers
    )
