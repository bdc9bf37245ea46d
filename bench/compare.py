"""Hot paths side by side (`make bench-compare`): our pages and reference apps, same run.

For SQLite and PostgreSQL in turn: a fresh database seeded with 50,000 campaigns and a board
of about 20,000 tickets; our app, a bare Flask hello fragment and a Flask-Admin list over the
same campaigns table, each under gunicorn with the same settings (2 workers x 4 threads);
wrk drives each URL with 8 connections for a few seconds (BENCH_SECONDS, default 5), then the
ratios are printed beside their targets. Ratios measured in one run are what counts: the
machine is shared, so absolute figures move with its load (printed with them).

`python -m bench.compare` (BENCH_SKIP_PG=1: SQLite only; BENCH_CAMPAIGNS, BENCH_TICKETS).
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update

from omnitraffick.extensions import db
from omnitraffick.models import Brand, Market, Ticket, utcnow

from .common import bench_app, databases, seed

ROOT = Path(__file__).resolve().parent.parent
APP_GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
BENCH_GUNICORN = ROOT / ".bench-venv" / "bin" / "gunicorn"
GUNICORN_SETTINGS = ("--workers", "2", "--threads", "4")
CONNECTIONS = 8
CAMPAIGNS = int(os.environ.get("BENCH_CAMPAIGNS", 50_000))
TICKETS = int(os.environ.get("BENCH_TICKETS", 20_000))
PER_CAMPAIGN = 3  # the board's tickets: this many for each of the first campaigns


@dataclass(frozen=True)
class Ratio:
    """A ratio of two measured throughputs, `over`/`under`, and the target it must meet."""

    label: str
    over: str  # the measurement whose requests per second are the numerator
    under: str
    target: float
    at_most: bool = False  # the ratio must be at most the target (else at least)

    def value(self, rps: dict[str, float]) -> float | None:
        """The ratio, or None when either side was not measured (or served nothing)."""
        over, under = rps.get(self.over), rps.get(self.under)
        if not over or not under:
            return None
        return over / under

    def met(self, value: float | None) -> bool:
        if value is None:
            return False
        return value <= self.target if self.at_most else value >= self.target


RATIOS = (
    Ratio("live preview / hello fragment (throughput)", "preview", "hello", 0.40),
    Ratio("campaign list / Flask-Admin list (throughput)", "list", "admin", 5.0),
    # Time per request of page 900 over page 1's: page 1's throughput over page 900's.
    Ratio("page 900 / page 1 (time per request)", "page1", "page900", 1.5, at_most=True),
    Ratio("idle board poll (304) / hello fragment (throughput)", "poll", "hello", 0.50),
)

# What each measurement is, in the order they run.
MEASURED = {
    "hello": "hello fragment (bare Flask)",
    # Our app's floor: its request hooks (security headers, compression, CSRF, the session
    # cookie) with no sign-in and no database. No signed-in page can be faster.
    "floor": "our health check (no sign-in, no database)",
    "preview": "live name preview",
    "list": "campaign list, page 1",
    "page1": "campaign list, page 1 (htmx)",
    "page900": "campaign list, page 900 (htmx)",
    "admin": "Flask-Admin list, page 1",
    "poll": "idle board poll (If-None-Match)",
}


def parse_wrk(output: str) -> tuple[float, int]:
    """Requests per second and the count of answers that were not 2xx/3xx, from wrk's output."""
    found = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if found is None:
        raise ValueError(f"wrk printed no Requests/sec:\n{output}")
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:.*?timeout (\d+)", output)
    return float(found.group(1)), (int(bad.group(1)) if bad else 0) + (
        int(errors.group(1)) if errors else 0
    )


def report(database: str, rps: dict[str, float], load: str) -> str:
    """The table of one database's run: each measurement, then each ratio beside its target."""
    lines = [f"== {database} == (load average {load})", ""]
    lines.append(f"  {'measured':<44} {'requests/s':>10}")
    for key, label in MEASURED.items():
        value = rps.get(key)
        lines.append(f"  {label:<44} {value:>10.1f}" if value else f"  {label:<44} {'-':>10}")
    lines.append("")
    lines.append(f"  {'ratio':<52} {'value':>6}  {'target':<8} met")
    for ratio in RATIOS:
        value = ratio.value(rps)
        shown = f"{value:6.2f}" if value is not None else f"{'-':>6}"
        target = ("<= " if ratio.at_most else ">= ") + f"{ratio.target:g}"
        lines.append(
            f"  {ratio.label:<52} {shown}  {target:<8} {'yes' if ratio.met(value) else 'NO'}"
        )
    return "\n".join(lines)


def load_average() -> str:
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


# --- servers and load ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """One gunicorn serving `target` on a free port, its output in `log`."""

    def __init__(self, gunicorn: Path, target: str, env: dict, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(  # pylint: disable=consider-using-with
                [str(gunicorn), *GUNICORN_SETTINGS, "--bind", f"127.0.0.1:{self.port}", target],
                cwd=ROOT,
                env=os.environ | env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def wait(self, path: str, timeout: float = 60) -> None:
        import requests  # pylint: disable=import-outside-toplevel

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                requests.get(self.url + path, timeout=30, allow_redirects=False)
                return
            except requests.RequestException:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{self.url} did not start:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# Sent by the signing-in session and by wrk alike: Flask-Login's session protection binds the
# session cookie to the user agent, and a cookie replayed from another agent would be marked
# not fresh and sent back re-signed on every answer (a browser keeps the new cookie; wrk
# replays the first one).
USER_AGENT = "bench-compare"


def sign_in(base: str, email: str = "admin@omnitraffick.test", password="omnitraffick-demo"):
    """A requests session signed in to our app (the login form's CSRF token included)."""
    import requests  # pylint: disable=import-outside-toplevel

    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    page = session.get(base + "/login", timeout=30)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
    data = {"email": email, "password": password, "csrf_token": token.group(1) if token else ""}
    answer = session.post(base + "/login", data=data, allow_redirects=False, timeout=30)
    if answer.status_code != 302:
        raise RuntimeError(f"signing in answered {answer.status_code}")
    return session


def cookie_header(session) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def drive(url: str, headers: dict[str, str], seconds: int) -> float:
    """wrk's requests per second at `url`; any answer not 2xx/3xx fails the run."""
    args = ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--timeout", "30s"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    output = subprocess.run(args + [url], capture_output=True, text=True, check=True).stdout
    rps, bad = parse_wrk(output)
    if bad:
        raise RuntimeError(f"{url}: {bad} answers were errors or timed out\n{output}")
    return rps


def expect(session, url: str, headers: dict[str, str], status: int):
    answer = session.get(url, headers=headers, allow_redirects=False, timeout=60)
    if answer.status_code != status:
        raise RuntimeError(f"{url} answered {answer.status_code}, not {status}")
    return answer


# --- one database ---------------------------------------------------------------------------


def run(database: str, base_url: str | None, seconds: int) -> dict[str, float]:
    import requests  # pylint: disable=import-outside-toplevel

    with bench_app(base_url) as app, tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        seed(TICKETS // PER_CAMPAIGN, PER_CAMPAIGN)  # the board's tickets
        seed(CAMPAIGNS, 0)  # the rest of the campaigns, without tickets
        # An idle board: every card last moved two days ago, so none reads differently
        # ("2d") for a day. The demo spreads their moves over minutes, hours and days, and a
        # card's age turning ("59m" to "1h") rightly re-renders the columns: within a run,
        # every poll after it would have been a full render against a tag gone stale.
        db.session.execute(update(Ticket).values(status_changed_at=utcnow() - timedelta(days=2)))
        db.session.commit()
        print(f"{database}: seeded in {time.perf_counter() - start:.0f} s", flush=True)
        brand = db.session.scalar(select(Brand.id).where(Brand.internal_code == "NIKE"))
        market = db.session.scalar(select(Market.id).where(Market.code == "JP"))
        db.session.remove()
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        env = {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-compare",
            "OMNITRAFFICK_INSECURE_COOKIES": "1",
        }
        logs = Path(folder)
        servers = {
            "ours": Server(APP_GUNICORN, "wsgi:app", env, logs / "ours.log"),
            "hello": Server(APP_GUNICORN, "bench.reference_apps:hello", {}, logs / "hello.log"),
            "admin": Server(
                BENCH_GUNICORN, "bench.reference_apps:create_admin()", env, logs / "admin.log"
            ),
        }
        try:
            servers["ours"].wait("/login")
            servers["hello"].wait("/hello")
            servers["admin"].wait("/admin/")
            ours = servers["ours"].url
            session = sign_in(ours)
            # A first page puts the CSRF secret into the session cookie: wrk sends that one.
            expect(session, f"{ours}/board/", {"HX-Request": "true"}, 200)
            signed = {"Cookie": cookie_header(session), "User-Agent": USER_AGENT}
            htmx = signed | {"HX-Request": "true"}
            preview = (
                f"{ours}/campaigns/preview?brand_id={brand}&market_id={market}&year=2026"
                "&campaign_name=Spring+Refresh+2"
            )
            plain = requests.Session()
            targets = {
                "hello": (plain, f"{servers['hello'].url}/hello", {}, 200),
                "floor": (plain, f"{ours}/healthz", {}, 200),
                "preview": (session, preview, htmx, 200),
                "list": (session, f"{ours}/campaigns/", signed, 200),
                "page1": (session, f"{ours}/campaigns/?page=1", htmx, 200),
                "page900": (session, f"{ours}/campaigns/?page=900", htmx, 200),
                "admin": (plain, f"{servers['admin'].url}/admin/campaign/", {}, 200),
                "poll": (session, f"{ours}/board/", htmx, 304),
            }
            rps = {}
            for key, (client, target, headers, status) in targets.items():
                if key == "poll":  # the tag of the columns as they are now
                    board = expect(session, target, htmx, 200)
                    headers = htmx | {"If-None-Match": board.headers.get("ETag", "")}
                expect(client, target, headers, status)
                rps[key] = drive(target, headers, seconds)
                # Still the same answer after the run (an idle poll's tag held throughout).
                expect(client, target, headers, status)
                print(f"  {MEASURED[key]:<44} {rps[key]:10.1f} requests/s", flush=True)
            return rps
        finally:
            for server in servers.values():
                server.stop()


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: `apt-get install -y wrk` (make bench-compare does).")
    if not BENCH_GUNICORN.exists():
        sys.exit("The benchmark's venv is missing: run `make bench-compare`.")
    seconds = int(os.environ.get("BENCH_SECONDS", 5))
    machine = f"{os.cpu_count()} cores"
    print(f"Side by side, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine}", flush=True)
    reports = []
    for database, base_url in databases():
        rps = run(database, base_url, seconds)
        reports.append(report(database, rps, load_average()))
        print("\n" + reports[-1] + "\n", flush=True)
    print("\n\n".join(reports))


if __name__ == "__main__":
    main()
