"""Throughput under gunicorn: 2 sync workers on loopback, 8 concurrent clients, bounded in requests
and in seconds. The Annex 2 page of the ordinary plan and, in the same run, the Django admin's change
list of that plan's offers (the page a team would otherwise use), both as the bench's administrator
signed in through the real sign-in form."""

import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
from http.cookiejar import CookieJar
from pathlib import Path
from time import perf_counter, sleep
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from .report import Figure

WORKERS = 2
CLIENTS = 8
HOST = "127.0.0.1"


def _free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, database_name):
        self.port = _free_port()
        # Open while the server runs (its output goes there); closed and removed in stop().
        self.log = tempfile.NamedTemporaryFile(prefix="jisp-bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "JISP_BENCH_DATABASE_NAME": database_name,
        }
        command = [sys.executable, "-m", "gunicorn", "jisp_portal.wsgi:application"]
        command += ["--workers", str(WORKERS), "--bind", f"{HOST}:{self.port}", "--timeout", "120"]
        command += ["--log-level", "warning", "--logger-class", "jisp_portal.log_redaction.RedactingLogger"]
        self.process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        self.base = f"http://{HOST}:{self.port}"

    def wait(self, seconds=60):
        deadline = perf_counter() + seconds
        while perf_counter() < deadline:
            if self.process.poll() is not None:
                break
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", "/healthz")
                conn.getresponse().read()
                conn.close()
                return
            except OSError:
                sleep(0.2)
        raise RuntimeError(f"gunicorn did not start: {Path(self.log.name).read_text()[-2000:]}")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        os.unlink(self.log.name)


def sign_in(base, email, password):
    """The session cookie of a real sign-in through the form (CSRF token and all)."""
    jar = CookieJar()
    opener = build_opener(HTTPCookieProcessor(jar))
    html = opener.open(f"{base}/sign-in/", timeout=60).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    body = urlencode({"csrfmiddlewaretoken": token, "username": email, "password": password}).encode()
    opener.open(Request(f"{base}/sign-in/", data=body, headers={"Referer": f"{base}/sign-in/"}), timeout=60)
    session = {c.name: c.value for c in jar}.get(settings.SESSION_COOKIE_NAME)
    if not session:
        raise RuntimeError(f"the bench could not sign {email} in")
    return f"{settings.SESSION_COOKIE_NAME}={session}"


def _get(port, path, cookie):
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "Connection": "close"})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def hammer(port, path, cookie, *, max_requests, max_seconds):
    """CLIENTS threads requesting ``path`` until ``max_requests`` are issued or ``max_seconds`` pass."""
    for _ in range(2 * WORKERS):  # warm every worker
        _get(port, path, cookie)
    lock = threading.Lock()
    issued = [0]
    latencies, failures = [], []
    deadline = perf_counter() + max_seconds

    def client():
        while True:
            with lock:
                if issued[0] >= max_requests or perf_counter() >= deadline:
                    return
                issued[0] += 1
            started = perf_counter()
            try:
                status = _get(port, path, cookie)
            except OSError as error:
                status = type(error).__name__
            elapsed = perf_counter() - started
            with lock:
                (latencies if status == 200 else failures).append(elapsed if status == 200 else status)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(CLIENTS)]
    started = perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = perf_counter() - started
    return len(latencies) / wall, latencies, failures, wall


def measure_load(data, scale, database_name, progress=None):
    admin = data.users["admin"]
    figures = load_figures(scale)
    paths = {"admin": f"/admin/plans/offer/?priority__jisp__id__exact={data.plan.pk}"}
    draft = data.drafts.get(min(data.drafts)) if data.drafts else None
    if draft is not None:
        paths["admin_draft"] = f"/admin/plans/offer/?priority__jisp__id__exact={draft.pk}"
    try:
        paths["annex2"] = reverse("plans:detail", kwargs={"pk": data.plan.pk})
        if draft is not None:
            paths["annex2_draft"] = reverse("plans:detail", kwargs={"pk": draft.pk})
    except NoReverseMatch:
        figures["annex2"].note = "not available (`plans:detail` does not resolve)"
    server = Server(database_name)
    try:
        server.wait()
        cookie = sign_in(server.base, admin.email, data.password)
        for key, path in paths.items():
            figure = figures[key]
            status = _get(server.port, path, cookie)
            if status != 200:
                figure.note = f"not available (HTTP {status} for {path.split('?')[0]})"
                continue
            rate, latencies, failures, wall = hammer(
                server.port, path, cookie, max_requests=scale.load_requests, max_seconds=scale.load_seconds
            )
            figure.value = rate
            p95 = statistics.quantiles(latencies, n=20)[-1] if len(latencies) >= 2 else latencies[0]
            figure.note = (
                f"{len(latencies)} requests in {wall:.1f} s, median latency {statistics.median(latencies) * 1000:.0f} ms, "
                f"95th percentile {p95 * 1000:.0f} ms" + (f", {len(failures)} failed" if failures else "")
            )
            if progress:
                progress(f"  {figure.label}: {figure.shown()}")
    finally:
        server.stop()
    for ratio_key, a_key, b_key in (("ratio", "annex2", "admin"), ("draft_ratio", "annex2_draft", "admin_draft")):
        ratio = figures[ratio_key]
        a, b = figures[a_key].value, figures[b_key].value
        if a is not None and b:
            ratio.value = a / b
        else:
            ratio.note = "not available (both pages are needed)"
    return list(figures.values())


def load_figures(scale, note=""):
    """The three rows of the load test (with ``note`` when they are not measured)."""
    return {
        "annex2": Figure(
            key="load_annex2",
            label=f"Throughput: Annex 2 page, {scale.rows} rows (gunicorn {WORKERS} workers, {CLIENTS} clients)",
            unit="req/s",
            note=note,
        ),
        "admin": Figure(
            key="load_admin",
            label="Throughput: Django admin change list of that plan's offers (same run)",
            unit="req/s",
            note=note,
        ),
        "ratio": Figure(
            key="load_ratio",
            label="Ratio: Annex 2 page ÷ admin change list",
            unit="ratio",
            target=1.0,
            at_least=True,
            note=note,
        ),
        "annex2_draft": Figure(
            key="load_annex2_draft",
            label=f"Throughput: draft Annex 2 page, {min(scale.draft_rows)} rows (same server)",
            unit="req/s",
            note=note,
        ),
        "admin_draft": Figure(
            key="load_admin_draft",
            label="Throughput: the admin's change list of that draft's offers (same run)",
            unit="req/s",
            note=note,
        ),
        "draft_ratio": Figure(
            key="load_draft_ratio",
            label="Ratio: Annex 2 draft ÷ admin change list",
            unit="ratio",
            target=1.5,
            at_least=True,
            note=note,
        ),
    }
