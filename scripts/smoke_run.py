"""The checks of scripts/smoke-run.sh against a running `make run` (Python standard library only).

    python3 scripts/smoke_run.py serve --base URL --pid PID --log FILE --root DIR --deadline EPOCH
        /healthz reports the database up; csa@demo.test signs in through the sign-in form and loads
        the dashboard; the plans list leads to the Newcastle upon Tyne 2009-10 plan, whose Annex 2
        page loads; the Celery worker renders that approved plan's PDF: its SHA-256 is shown on the
        plan, the download has that SHA-256, the file is under DIR/var/media, and the worker's log
        says it rendered it. Celery beat has started.
    python3 scripts/smoke_run.py procs --session SID --root DIR
        lists the live processes of the run: in session SID, or whose working directory or command
        line is inside DIR (one a line: pid, state, role, command line).

Each check prints what it found on stderr; a failure prints one line, the reason, on stdout and
exits 1.
"""

import argparse
import hashlib
import html.parser
import http.cookiejar
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

EMAIL = "csa@demo.test"
PASSWORD = "demo-password"
AUTHORITY, PERIOD = "Newcastle upon Tyne", "2009-10"


class Failed(Exception):
    pass


def note(message):
    print(f"smoke-run: {message}", file=sys.stderr, flush=True)


# --- the running make run ------------------------------------------------------------------------


def process_state(pid):
    """The one-letter state of a process, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None


def last_message(log):
    """The last line of make run's output that says what failed (or the last line at all)."""
    try:
        with open(log, errors="replace") as fh:
            lines = [line.strip() for line in fh if line.strip()]
    except FileNotFoundError:
        return "(no output)"
    for prefix in ("make run:", "scripts/setup.sh:"):
        said = [line for line in lines if line.startswith(prefix)]
        if said:
            return said[-1]
    return lines[-1] if lines else "(no output)"


class Run:
    def __init__(self, args):
        self.base = args.base.rstrip("/")
        self.pid, self.log, self.root, self.deadline = args.pid, args.log, args.root, args.deadline
        self.started = time.monotonic()
        jar = http.cookiejar.CookieJar()
        # No proxies: the portal is on this machine, whatever http_proxy says.
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(jar)
        )
        self.jar = jar

    def alive(self):
        state = process_state(self.pid)
        if state in (None, "Z", "X"):
            raise Failed(f"make run exited before the check was done: {last_message(self.log)}")

    def left(self):
        return self.deadline - time.time()

    def elapsed(self):
        return f"{time.monotonic() - self.started:.0f} s"

    def get(self, path, data=None, timeout=20):
        url = urllib.parse.urljoin(self.base + "/", path)
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers={"User-Agent": "jisp-smoke-run"})
        if body is not None:
            request.add_header("Referer", url)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.geturl(), response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), error.headers, error.read()

    def page(self, path, what, data=None):
        status, url, _, body = self.get(path, data)
        if status != 200:
            raise Failed(f"{what}: GET {path} answered {status}")
        return url, body.decode("utf-8", errors="replace")


# --- reading pages -------------------------------------------------------------------------------


class Parser(html.parser.HTMLParser):
    """Inputs of forms and links (href and text, hidden text included)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inputs, self.links, self._link = {}, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name"):
            self.inputs[attrs["name"]] = attrs.get("value") or ""
        elif tag == "a" and attrs.get("href"):
            self._link = [attrs["href"], ""]

    def handle_data(self, data):
        if self._link is not None:
            self._link[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            self.links.append((self._link[0], " ".join(self._link[1].split())))
            self._link = None


def parse(text):
    parser = Parser()
    parser.feed(text)
    return parser


# --- the checks ----------------------------------------------------------------------------------


def wait_for_health(run):
    last = "no answer"
    while run.left() > 0:
        run.alive()
        try:
            status, _, _, body = run.get("/healthz", timeout=5)
            checks = json.loads(body).get("checks", {})
            if checks.get("database") == "up":
                note(f"/healthz: database up ({status}) after {run.elapsed()}")
                return
            last = f"{status} {body[:200].decode(errors='replace')}"
        except (OSError, ValueError) as error:
            last = str(getattr(error, "reason", error))
        time.sleep(1)
    raise Failed(f"/healthz did not report the database up within the time limit (last: {last})")


def sign_in(run):
    url, text = run.page("/sign-in/", "the sign-in page")
    form = parse(text).inputs
    for name in ("csrfmiddlewaretoken", "username", "password"):
        if name not in form:
            raise Failed(f"the sign-in page at /sign-in/ has no {name!r} field")
    url, text = run.page(
        "/sign-in/",
        "signing in",
        data={
            "csrfmiddlewaretoken": form["csrfmiddlewaretoken"],
            "username": EMAIL,
            "password": PASSWORD,
            "next": form.get("next", ""),
        },
    )
    if urllib.parse.urlsplit(url).path != "/" or "Your dashboard" not in text:
        raise Failed(f"signing in as {EMAIL} did not lead to the dashboard (ended at {url})")
    note(f"signed in as {EMAIL}; the dashboard loads")


def find_plan(run):
    _, text = run.page("/plans/", "the plans list")
    wanted = re.compile(rf"^{re.escape(AUTHORITY)} JISP {re.escape(PERIOD)} version \d+$")
    for href, label in parse(text).links:
        if wanted.match(label):
            return href
    raise Failed(f"the plans list shows no {AUTHORITY} JISP {PERIOD} (seed_demo's approved plan)")


def open_annex2(run, href):
    _, text = run.page(href, "the Annex 2 page")
    if 'id="annex2"' not in text or f"{AUTHORITY} JISP {PERIOD}" not in text:
        raise Failed(f"{href} is not the Annex 2 page of {AUTHORITY} JISP {PERIOD}")
    note(f"the Annex 2 page of {AUTHORITY} JISP {PERIOD} loads ({href})")


CHECKSUM = re.compile(r'class="app-checksum">([0-9a-f]{64})<')


def wait_for_pdf(run, href):
    while run.left() > 0:
        run.alive()
        _, text = run.page(href, "the plan page")
        found = CHECKSUM.search(text)
        if found:
            sha = found.group(1)
            pdf_links = [link for link, _ in parse(text).links if link.rstrip("/").endswith("/pdf")]
            if not pdf_links:
                raise Failed("the plan shows a SHA-256 but no link to its PDF")
            return sha, pdf_links[0]
        time.sleep(2)
    raise Failed(f"the Celery worker did not render the PDF of {AUTHORITY} JISP {PERIOD} within the time limit")


def _stored_pdfs(root, media, sha):
    """The PDFs under ``media`` whose SHA-256 is ``sha``, relative to ``root``."""
    files = []
    for folder, _, names in os.walk(media):
        for name in names:
            if name.endswith(".pdf"):
                with open(os.path.join(folder, name), "rb") as fh:
                    if hashlib.sha256(fh.read()).hexdigest() == sha:
                        files.append(os.path.relpath(os.path.join(folder, name), root))
    return files


def check_pdf(run, sha, link):
    status, _, headers, body = run.get(link)
    if status != 200 or not body.startswith(b"%PDF-"):
        raise Failed(f"downloading the PDF ({link}) answered {status} {headers.get('Content-Type')}")
    if hashlib.sha256(body).hexdigest() != sha:
        raise Failed("the downloaded PDF's SHA-256 differs from the one shown on the plan")
    media = os.path.join(run.root, "var", "media")
    files = _stored_pdfs(run.root, media, sha)
    if not files:
        raise Failed(f"no PDF under {media} has the SHA-256 shown on the plan")
    with open(run.log, errors="replace") as fh:
        log = fh.read()
    rendered = re.search(rf"Task plans\.tasks\.render_jisp_pdf\[[^\]]+\] succeeded in [^:]+: '{sha}'", log)
    if not rendered:
        raise Failed("the PDF exists but the worker's log does not say it rendered it (render_jisp_pdf succeeded)")
    note(f"the worker rendered the PDF after {run.elapsed()}: {files[0]} sha256 {sha[:16]}…, shown on the plan")
    if "beat: Starting..." not in log:
        raise Failed("Celery beat did not log 'beat: Starting...'")
    schedule = os.path.join(run.root, "var", "celerybeat-schedule")
    if not any(name.startswith("celerybeat-schedule") for name in os.listdir(os.path.dirname(schedule))):
        raise Failed("Celery beat wrote no schedule file under var/")
    note("Celery beat started and keeps its schedule under var/")


def serve(args):
    run = Run(args)
    wait_for_health(run)
    sign_in(run)
    href = find_plan(run)
    open_annex2(run, href)
    sha, link = wait_for_pdf(run, href)
    check_pdf(run, sha, link)


# --- processes -----------------------------------------------------------------------------------


def role(cmdline):
    if "celery" in cmdline and " worker" in cmdline:
        return "worker"
    if "celery" in cmdline and " beat" in cmdline:
        return "beat"
    if "manage.py runserver" in cmdline:
        return "web"
    return "other"


def processes(session, root):
    """(pid, state, role, command line) of every live process of the run."""
    root = os.path.realpath(root)
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            state, sid = fields[0], int(fields[4])
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                cmdline = fh.read().replace(b"\0", b" ").decode(errors="replace").strip()
            try:
                cwd = os.readlink(f"/proc/{entry}/cwd")
            except OSError:
                cwd = ""
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
        inside = cwd == root or cwd.startswith(root + "/") or root + "/" in cmdline
        if (sid == session or inside) and state not in ("Z", "X"):
            found.append((int(entry), state, role(cmdline), cmdline))
    return sorted(found)


def procs(args):
    for pid, state, kind, cmdline in processes(args.session, args.root):
        print(f"{pid} {state} {kind} {cmdline}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("serve")
    check.add_argument("--base", default="http://127.0.0.1:8000")
    check.add_argument("--pid", type=int, required=True)
    check.add_argument("--log", required=True)
    check.add_argument("--root", required=True)
    check.add_argument("--deadline", type=float, required=True)
    listing = sub.add_parser("procs")
    listing.add_argument("--session", type=int, required=True)
    listing.add_argument("--root", required=True)
    args = parser.parse_args()
    try:
        serve(args) if args.command == "serve" else procs(args)
    except Failed as failure:
        print(failure)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
