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


def start_gunicorn(
    env: dict, log_path: Path, workers: int = 2, timeout: float = 20.0
) -> tuple[str, subprocess.Popen]:
    """Serve wsgi:app on a free port; return its base URL (once /login answers) and process."""
    port = free_port()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    args = [gunicorn, "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "wsgi:app"]
    proc = start(args, env, log_path)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while not answers(f"{url}/login"):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not start; log tail:\n{tail(log_path)}")
        time.sleep(0.1)
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
