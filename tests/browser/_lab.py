"""Start a throw-away JupyterLab server for the browser tests, and stop it and its kernels by PID."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

# JupyterLab user settings that keep the page quiet: no news/update toasts, every cell in the
# DOM (windowing would leave cells below the fold unrendered, so their widgets could not be found).
SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "checkForUpdates": False,
        "fetchNews": "false",
    },
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


@dataclass
class Lab:
    """A running JupyterLab server: where it listens, its token, and what it serves."""

    proc: subprocess.Popen
    port: int
    token: str
    root: Path
    log: Path
    pids: list[int] = field(default_factory=list)

    @property
    def base(self) -> str:
        """The server's base URL."""
        return f"http://127.0.0.1:{self.port}"

    def notebook_url(self, name: str) -> str:
        """A URL that opens ``name`` in a fresh, randomly named workspace (nothing is restored)."""
        return f"{self.base}/lab/workspaces/t{secrets.token_hex(6)}/tree/{name}?token={self.token}"

    def api(self, path: str, method: str = "GET") -> object:
        """Call the server's REST API and return the decoded JSON (None for an empty body)."""
        req = urllib.request.Request(
            f"{self.base}/api/{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            body = resp.read()
        return json.loads(body) if body else None


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_settings(settings_dir: Path) -> None:
    """Write the quiet-page JupyterLab settings into a fresh user-settings directory."""
    for rel, value in SETTINGS.items():
        path = settings_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value), encoding="utf-8")


def start_lab(root: Path, state: Path, timeout: float = 90.0) -> Lab:
    """Start ``jupyter lab`` serving ``root`` (state, config and logs under ``state``); wait until ready."""
    port, token = free_port(), secrets.token_hex(16)
    write_settings(state / "settings")
    for sub in ("workspaces", "config", "runtime", "ipython"):
        (state / sub).mkdir(parents=True, exist_ok=True)
    # Private config/runtime dirs: a developer's own Jupyter config must not change what we test.
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(state / "config"),
        JUPYTER_RUNTIME_DIR=str(state / "runtime"),
        IPYTHONDIR=str(state / "ipython"),
    )
    cmd = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ip", "127.0.0.1", "--port", str(port),
        f"--ServerApp.token={token}", "--allow-root", "--LabApp.expose_app_in_browser=True",
        f"--ServerApp.root_dir={root}", f"--LabApp.user_settings_dir={state / 'settings'}",
        f"--LabApp.workspaces_dir={state / 'workspaces'}", "--ServerApp.port_retries=0",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip
    log = state / "jupyterlab.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
    lab = Lab(proc, port, token, root, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"jupyter lab exited with {proc.returncode}:\n{log_tail(log)}")
        try:
            lab.api("status")
            return lab
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    stop_lab(lab)
    raise RuntimeError(f"jupyter lab did not answer within {timeout:.0f} s:\n{log_tail(log)}")


def log_tail(log: Path, lines: int = 40) -> str:
    """The last lines of the server log, for error messages."""
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def descendants(pid: int) -> list[int]:
    """PIDs of every process below ``pid`` (kernels run in their own session, not in our group)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the command name (field 2) may contain spaces; fields after its closing paren are fixed
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` still exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def stop_lab(lab: Lab, grace: float = 10.0) -> list[int]:
    """Shut kernels down, stop the server, then kill by PID whatever is left; return PIDs still alive."""
    try:  # the polite way first, so kernels can clean up their connection files
        for kernel in lab.api("kernels") or []:
            lab.api(f"kernels/{kernel['id']}", method="DELETE")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        pass
    lab.pids = [lab.proc.pid, *descendants(lab.proc.pid)]
    if lab.proc.poll() is None:
        lab.proc.send_signal(signal.SIGTERM)
        try:
            lab.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            lab.proc.kill()
            lab.proc.wait(timeout=grace)
    for pid in lab.pids[1:]:
        if alive(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    time.sleep(0.2)  # let the kernel processes be reaped by init after SIGKILL
    return [pid for pid in lab.pids if alive(pid)]
