"""Start and stop the app's real processes (gunicorn, `flask worker`) for tests that need them."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tail(path: Path, lines: int = 40) -> str:
    text = path.read_text(errors="replace") if path.exists() else "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def start(args: list[str], env: dict, log_path: Path) -> subprocess.Popen:
    """Run a command from the checkout in a process group of its own, logging to a file."""
    with log_path.open("w") as log:
        return subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so kill_group reaches its children too
        )


# A cold process on a busy machine (the suite runs on every core) can take a while to import.
STARTUP_TIMEOUT = 60.0


def wait_until_answers(url: str, proc: subprocess.Popen, log_path: Path, what: str) -> None:
    """Return once `url` answers 200; fail with the log's tail if the process dies or stalls."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not answers(url):
        if proc.poll() is not None or time.monotonic() > deadline:
            stop(proc)
            raise RuntimeError(
                f"{what} did not answer GET {url} within {STARTUP_TIMEOUT:.0f} s "
                f"(exit code {proc.poll()}); log tail:\n{tail(log_path)}"
            )
        time.sleep(0.1)


def start_gunicorn(
    env: dict, log_path: Path, workers: int = 2, access_log: bool = False
) -> tuple[str, subprocess.Popen]:
    """Serve wsgi:app on a free port; return its base URL (once /login answers) and process."""
    port = free_port()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    args = [gunicorn, "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "wsgi:app"]
    if access_log:
        args += ["--access-logfile", "-"]
    proc = start(args, env, log_path)
    url = f"http://127.0.0.1:{port}"
    wait_until_answers(f"{url}/login", proc, log_path, "gunicorn")
    return url, proc


def start_sandbox(log_path: Path) -> tuple[str, subprocess.Popen]:
    """The platform sandbox as `make run` starts it, on a free port; its URL and process."""
    port = free_port()
    args = [sys.executable, "-m", "omnitraffick.sandbox", "--port", str(port)]
    proc = start(args, dict(os.environ), log_path)
    url = f"http://127.0.0.1:{port}"
    wait_until_answers(f"{url}/", proc, log_path, "the sandbox")
    return url, proc


def start_worker(env: dict, log_path: Path, concurrency: int = 4) -> subprocess.Popen:
    """`flask worker`, exactly as production starts it."""
    args = [sys.executable, "-m", "flask", "worker", "--concurrency", str(concurrency)]
    return start(args, {**env, "FLASK_APP": "wsgi.py"}, log_path)


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL a process and everything it started, as when its machine goes away."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def stop(proc: subprocess.Popen, timeout: float = 20.0) -> None:
    """Ask a process group to stop; kill it if it does not."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc)
    except ProcessLookupError:
        pass


def children(pid: int) -> list[int]:
    """The direct children of a process (Linux /proc), e.g. a Celery worker's pool."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found
