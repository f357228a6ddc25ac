"""Scale-out check: two gunicorn instances sharing PostgreSQL and Redis on 127.0.0.1, with faults.

    bash scripts/scale_out_check.sh          # starts PostgreSQL, then runs this

Run by the wrapper, which provides a throwaway PostgreSQL (DATABASE_URL, and UNDERWATER_PG_DATA /
UNDERWATER_PG_BIN so that it can be stopped and started). This script starts a private Redis
(`redis-server` on a free loopback port, no persistence) and two gunicorn instances with
production settings (DJANGO_DEBUG=0, config/gunicorn.py), then checks, printing figures:

1. rate limits hold across both instances (one client, requests alternating between them);
2. an admin's edit made on one instance (through the admin's change form) is served by the
   other within PROFILES_VERSION_SECONDS;
3. killing one gunicorn worker under load loses at most the requests it had in flight;
4. faults under load: Redis stopped, then PostgreSQL stopped, a few seconds each: no 500 at all,
   nothing but 200 while only the cache is down, the friendly 503 (or a 200 from memory) while
   the database is down, and the time each takes to recover by itself.

Every loop is bounded (time and request count), and only 127.0.0.1 is contacted. Exit status 1
if a check fails.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import http.cookiejar
import itertools
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
SCENARIO = "platform=binance&entry_price=50000&margin=1000&leverage=10&gap=0.05"
ADMIN_PASSWORD = "scale-out-" + "p4ss" * 4
RATE_LIMIT_API = 30  # per client per 60 s, for check 1
FRIENDLY_503 = "We cannot reach our data just now"
COUNTER = itertools.count(1)
failures: list[str] = []


def check(condition: bool, message: str) -> None:
    print(("  ok    " if condition else "  FAIL  ") + message, flush=True)
    if not condition:
        failures.append(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def get(port: int, path: str, headers: dict | None = None, timeout: float = 10.0):
    """(status, body, response) of a GET; (0, the error, None) when the connection fails."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": HOST, **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace"), response
    except (OSError, http.client.HTTPException) as error:  # refused, reset, cut short
        return 0, f"{type(error).__name__}: {error}", None
    finally:
        connection.close()


# --- the services --------------------------------------------------------------------------


class Redis:
    """A private redis-server on a free loopback port, without persistence."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [
                *(binary, "--port", str(self.port), "--bind", HOST, "--save", ""),
                *("--appendonly", "no", "--dir", str(self.workdir), "--daemonize", "no"),
                *("--loglevel", "warning"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 10
        while time.time() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex((HOST, self.port)) == 0:
                    return
            time.sleep(0.05)
        raise SystemExit("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class Postgres:
    """The wrapper's throwaway cluster, stopped and started with pg_ctl."""

    def __init__(self) -> None:
        self.data = os.environ.get("UNDERWATER_PG_DATA", "")
        self.bin = os.environ.get("UNDERWATER_PG_BIN", "")
        self.port = urllib.parse.urlparse(os.environ.get("DATABASE_URL", "")).port

    def pg_ctl(self, *args: str) -> None:
        command = [f"{self.bin}/pg_ctl", "-D", self.data, *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self) -> None:
        self.pg_ctl("-m", "fast", "-w", "stop")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses={HOST} -c fsync=off"
        self.pg_ctl("-w", "-l", f"{self.data}/server.log", "-o", options, "start")


@dataclass
class Gunicorn:
    name: str
    env: dict
    logdir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.logdir / f"gunicorn-{self.name}.log", "ab")  # noqa: SIM115
        command = [PYTHON, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
        command += ["--bind", f"{HOST}:{self.port}", "--workers", "2"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=log)
        deadline = time.time() + 60
        while time.time() < deadline:
            if get(self.port, "/healthz", timeout=2)[0] == 200:
                return
            time.sleep(0.2)
        raise SystemExit(f"gunicorn {self.name} did not come up (see {log.name})")

    def workers(self) -> list[int]:
        assert self.process is not None, "start() first"
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


# --- load ----------------------------------------------------------------------------------

# What the load asks for: the calculator page and its htmx partial, the API, the widget, a
# platform page (read from the database on every request) and the health check.
MIX = [
    ("page", lambda n: f"/?{SCENARIO}&entry_price={50000 + n % 500}", {}),
    ("partial", lambda n: f"/?{SCENARIO}&entry_price={51000 + n}", {"HX-Request": "true"}),
    ("api", lambda n: f"/api/v1/evaluate?{SCENARIO}&margin={1000 + n % 300}", {}),
    ("widget", lambda n: f"/embed/?{SCENARIO}", {}),
    ("platform page", lambda n: "/platforms/binance/", {}),
    ("healthz", lambda n: "/healthz", {}),
]


@dataclass
class Result:
    started: float
    finished: float
    port: int
    kind: str
    status: int
    friendly: bool


def load(ports: list[int], seconds: float, clients: int, max_requests: int) -> list[Result]:
    """`clients` threads, each sending one request at a time to its instance, round the MIX,
    each request from its own client address (so the rate limits stay out of the way)."""
    results: list[Result] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    budget = [max_requests]

    def client(index: int) -> None:
        port = ports[index % len(ports)]
        local = []
        while time.monotonic() < stop_at:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            n = next(COUNTER)
            kind, path, headers = MIX[n % len(MIX)]
            address = f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"
            started = time.monotonic()
            status, body, _ = get(port, path(n), {**headers, "X-Forwarded-For": address})
            local.append(
                Result(started, time.monotonic(), port, kind, status, FRIENDLY_503 in body)
            )
        with lock:
            results.extend(local)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(results, key=lambda r: r.started)


def by_status(results: list[Result]) -> str:
    counts = collections.Counter("conn-error" if r.status == 0 else r.status for r in results)
    return ", ".join(f"{status}: {count}" for status, count in sorted(counts.items(), key=str))


# --- the checks ----------------------------------------------------------------------------


def check_rate_limits(a: Gunicorn, b: Gunicorn) -> None:
    print(f"\n1. Rate limit across both instances ({RATE_LIMIT_API} API requests a minute)")
    if time.time() % 60 > 45:  # the fixed window must not roll over mid-check
        time.sleep(61 - time.time() % 60)
    statuses = []
    for n in range(RATE_LIMIT_API + 10):
        port = (a, b)[n % 2].port
        status, _, _ = get(port, f"/api/v1/evaluate?{SCENARIO}", {"X-Forwarded-For": "192.0.2.77"})
        statuses.append(status)
    allowed = statuses.count(200)
    print(f"  {len(statuses)} requests alternating A/B from one client: {by_status_list(statuses)}")
    check(allowed == RATE_LIMIT_API, f"exactly {RATE_LIMIT_API} allowed in all (got {allowed})")
    check(statuses[RATE_LIMIT_API:] == [429] * 10, "every request past the limit got 429")


def by_status_list(statuses: list[int]) -> str:
    return ", ".join(f"{s}: {c}" for s, c in sorted(collections.Counter(statuses).items()))


class FormFields(HTMLParser):
    """The fields a browser would submit from the admin's change form."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                self.fields.append(
                    (name, attrs.get("value") or ("on" if kind == "checkbox" else ""))
                )
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None


def admin_rename(port: int, slug: str, new_name: str) -> None:
    """Log in to the admin on this instance and rename a platform through its change form."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://{HOST}:{port}"

    def form_of(url: str) -> list[tuple[str, str]]:
        parser = FormFields()
        parser.feed(opener.open(url, timeout=10).read().decode())
        return parser.fields

    login = dict(form_of(f"{base}/admin/login/"))
    login.update(username="scaleout", password=ADMIN_PASSWORD)
    opener.open(f"{base}/admin/login/", urllib.parse.urlencode(login).encode(), timeout=10)
    listing = opener.open(f"{base}/admin/platforms/platform/?q={slug}", timeout=10).read().decode()
    found = re.search(r"/admin/platforms/platform/(\d+)/change/", listing)
    if found is None:
        raise SystemExit(f"no change link for {slug} in the admin's platform list")
    platform_id = found.group(1)
    url = f"{base}/admin/platforms/platform/{platform_id}/change/"
    fields = [(k, new_name if k == "name" else v) for k, v in form_of(url) if k != "_continue"]
    fields.append(("_save", "Save"))
    response = opener.open(url, urllib.parse.urlencode(fields).encode(), timeout=10)
    if "/change/" in response.url or "errornote" in response.read().decode():
        raise SystemExit("the admin refused the edit")


def check_edit_propagates(a: Gunicorn, b: Gunicorn, interval: float) -> None:
    print(f"\n2. An admin's edit on A, served by B (PROFILES_VERSION_SECONDS={interval:g})")
    new_name = f"Binance (edited on A {int(time.time())})"
    partial = f"/?{SCENARIO}&entry_price=5"
    get(b.port, partial + "0000", {"HX-Request": "true"})  # B holds the old data
    admin_rename(a.port, "binance", new_name)
    saved = time.monotonic()  # the save was committed and the version bumped before this
    seen_after = last_miss = None
    for n in itertools.count(1):
        started = time.monotonic() - saved
        _, body, _ = get(b.port, f"{partial}{n:04d}", {"HX-Request": "true"})
        if new_name in body:
            seen_after = time.monotonic() - saved
            break
        last_miss = started
        if started > interval + 10:
            break
        time.sleep(0.02)
    if seen_after is None:
        check(False, "B never served the edit within 10 s past the interval")
        return
    print(
        f"  B served the new name {seen_after:.2f} s after A saved it; the last request that "
        f"still got the old one started {last_miss or 0:.2f} s after the save"
    )
    # the promise: a request that starts more than the interval after the save sees the edit
    check(
        (last_miss or 0) <= interval + 0.05,
        f"no request started more than {interval:g} s after the save got the old data",
    )
    admin_rename(a.port, "binance", "Binance")


def check_worker_kill(a: Gunicorn, b: Gunicorn) -> None:
    print("\n3. One gunicorn worker killed (SIGKILL) under load, 4 clients (2 per instance)")
    victim = a.workers()[0]
    clients = 4
    timer = threading.Timer(2.0, os.kill, args=(victim, signal.SIGKILL))
    timer.start()
    results = load([a.port, b.port], seconds=6, clients=clients, max_requests=20_000)
    timer.join()
    failed = [r for r in results if r.status != 200]
    print(f"  worker {victim} of A killed at 2 s: {len(results)} requests, {by_status(results)}")
    # each of A's clients has at most one request in flight, so at most that many are lost
    in_flight = clients // 2
    check(len(failed) <= in_flight, f"at most the {in_flight} requests in flight lost")
    check(all(r.status in (0, 200) for r in results), "nothing but 200 or a dropped connection")
    time.sleep(1)
    check(len(a.workers()) == 2, "gunicorn replaced the worker")


def check_logs(workdir: Path) -> None:
    print("\n5. gunicorn's and the app's log lines")
    lines = [
        line
        for log in sorted(workdir.glob("gunicorn-*.log"))
        for line in log.read_text(errors="replace").splitlines()
        if line.strip()
    ]
    not_json = []
    for line in lines:
        try:
            json.loads(line)
        except ValueError:
            not_json.append(line)
    print(
        f"  {len(lines)} lines, {len(not_json)} not JSON"
        + (f": {not_json[:3]}" if not_json else "")
    )
    check(bool(lines) and not not_json, "every log line is a JSON object")


def check_faults(a: Gunicorn, b: Gunicorn, redis: Redis, postgres: Postgres, outage: float):
    print(
        f"\n4. Faults under load: Redis stopped for {outage:g} s, then PostgreSQL for {outage:g} s"
    )
    marks: dict[str, float] = {}

    def faults() -> None:
        time.sleep(2)
        marks["Redis down"] = time.monotonic()
        redis.stop()
        time.sleep(outage)
        redis.start()
        marks["Redis back"] = time.monotonic()
        time.sleep(3)
        marks["database down"] = time.monotonic()
        postgres.stop()
        time.sleep(outage)
        postgres.start()
        marks["database back"] = time.monotonic()

    injector = threading.Thread(target=faults)
    injector.start()
    results = load([a.port, b.port], seconds=2 * outage + 11, clients=4, max_requests=40_000)
    injector.join()

    phases = [
        ("before", float("-inf"), marks["Redis down"]),
        ("Redis down", marks["Redis down"], marks["Redis back"]),
        ("Redis back", marks["Redis back"], marks["database down"]),
        ("database down", marks["database down"], marks["database back"]),
        ("database back", marks["database back"], float("inf")),
    ]
    # A request belongs to the phase in which it finished: one that was in flight when a
    # service stopped counts as during the outage, one answered after it was back, after.
    print("  | phase (by when the request finished) | requests | by status |")
    print("  |---|---|---|")
    grouped = {}
    for name, start, end in phases:
        grouped[name] = [r for r in results if start <= r.finished < end]
        print(f"  | {name} | {len(grouped[name])} | {by_status(grouped[name])} |")
    print(f"  total {len(results)} requests: {by_status(results)}")

    check(not [r for r in results if r.status == 500], "no 500 at any time")
    no_cache = grouped["Redis down"]
    check(bool(no_cache) and all(r.status == 200 for r in no_cache), "only 200 while Redis is down")
    no_db = grouped["database down"]
    unavailable = [r for r in no_db if r.status != 200]
    check(all(r.status == 503 for r in unavailable), "only 200 or 503 while the database is down")
    check(
        all(r.friendly for r in unavailable if r.kind in ("page", "platform page")),
        "the pages' 503 is the friendly page",
    )
    check(any(r.kind == "healthz" and r.status == 503 for r in no_db), "/healthz said 503")
    for name, back in (("Redis", "Redis back"), ("the database", "database back")):
        after = grouped[back]
        bad = [r for r in after if r.status != 200]
        recovered = (max(r.finished for r in bad) - marks[back]) if bad else 0.0
        print(
            f"  {name}: every request 200 again {max(recovered, 0) * 1000:.0f} ms after it was back"
            f" ({len(bad)} non-200 answered after that)"
        )
        check(bool(after) and after[-1].status == 200, f"recovered by itself after {name}")


# --- main ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outage", type=float, default=4.0, help="seconds each fault lasts")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Run through scripts/scale_out_check.sh (it provides PostgreSQL).")

    workdir = Path(tempfile.mkdtemp(prefix="underwater-scale-"))
    redis = Redis(workdir)
    postgres = Postgres()
    interval = 1.0
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "scale-out-check-only-" + "s" * 40,
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback, no TLS proxy in front
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_TRUSTED_PROXY_COUNT": "1",  # as behind nginx: X-Forwarded-For names the client
        "CACHE_URL": f"redis://{HOST}:{redis.port}/0",
        "PROFILES_VERSION_SECONDS": str(interval),
        "RATE_LIMIT_API": str(RATE_LIMIT_API),
        "RATE_LIMIT_CALCULATOR": "100000",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD,
    }
    instances = [Gunicorn("A", env, workdir), Gunicorn("B", env, workdir)]
    started = time.monotonic()
    try:
        redis.start()
        for command in (
            ["migrate", "--noinput"],
            ["seed_profiles"],
            ["collectstatic", "--noinput"],
            ["createsuperuser", "--noinput", "--username", "scaleout", "--email", "s@example.com"],
        ):
            subprocess.run(
                [PYTHON, "manage.py", *command, "-v", "0"],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        for instance in instances:
            instance.start()
        a, b = instances
        status, _, response = get(a.port, "/healthz")
        print(
            f"Redis on {HOST}:{redis.port}, PostgreSQL on {HOST}:{postgres.port}, "
            f"gunicorn A on :{a.port} and B on :{b.port} (2 workers each), {os.cpu_count()} cores"
        )
        check(status == 200 and response.getheader("Server") is None, "no Server header")
        check_rate_limits(a, b)
        check_edit_propagates(a, b, interval)
        check_worker_kill(a, b)
        check_faults(a, b, redis, postgres, args.outage)
        check_logs(workdir)
    finally:
        for instance in instances:
            instance.stop()
        redis.stop()
    print(f"\nscale-out check: {time.monotonic() - started:.0f} s, {len(failures)} failure(s)")
    if failures:
        for log in sorted(workdir.glob("gunicorn-*.log")):
            print(f"--- last lines of {log}:")
            print("\n".join(log.read_text(errors="replace").splitlines()[-20:]))
        sys.exit(1)
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
