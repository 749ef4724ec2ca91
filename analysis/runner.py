"""Run one pipeline step (a module of this package) in a child forked from a warm process.

Every step imports pandas, statsmodels or matplotlib, which costs seconds; the rest of a step
costs milliseconds. So the first step of a build starts a server that imports the heavy
libraries once and then forks one child per step. Make still runs one recipe per target and
sees each step's exit status; only the import cost is shared.

    python -m analysis.runner analysis.arrivals [ARGS...]

Report kernels start the same way (`python -m analysis.runner ipykernel_launcher ...`, see
analysis.report.warm_kernel), so a report pays no imports either.

The server listens on a socket under build/ (per project copy), imports third-party libraries
only (so project code is always read fresh by the forked child), and exits after a few idle
seconds. Set NKB_RUNNER=inline to run the step in this process instead (debugging, profiling).
Only the standard library may be imported here: the client must start in milliseconds.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib
import json
import os
import runpy
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

BUILD_DIR = Path("build")
IDLE_SECONDS = 4.0
KILL_GRACE_SECONDS = 3.0  # after SIGTERM, time to clean up before SIGKILL
# Third-party modules a step may need; imported once by the server. The first group, what the
# data, model and chart steps use, is imported before the server forks any step; the report
# group while no step is waiting (a cold build's first steps are the data's, which need none of
# it, and start about two seconds sooner), or at once when a report build or kernel asks
# (_needs_later). Another step forked before a module is loaded imports it itself.
PRELOAD = (
    "numpy",
    "pandas",
    "scipy.stats",
    "scipy.optimize",
    "statsmodels.genmod.generalized_linear_model",
    "statsmodels.genmod.families",
    "statsmodels.discrete.discrete_model",
    "matplotlib.pyplot",
    "matplotlib.backends.backend_pdf",
    "matplotlib.backends.backend_svg",
    "fontTools.subset",  # every PDF embeds subsets of its fonts
    "PIL.PngImagePlugin",
    "babel.numbers",  # numbers, dates and the Korean catalogue (analysis.i18n)
    "babel.dates",
    "babel.messages.pofile",
    "frictionless",
    "yaml",
)
PRELOAD_LATER = (
    "jupytext",
    "papermill",
    "nbconvert",
    "ipykernel.kernelapp",  # report kernels are forked from here too (see analysis.report)
    "ipykernel.ipkernel",
)


def _socket_path() -> Path:
    # Keyed on the lock file so a server holding old library versions is never reused.
    lock = Path("uv.lock")
    key = f"{lock.stat().st_mtime_ns:x}" if lock.exists() else "nolock"
    return BUILD_DIR / f"runner-{key}.sock"


# --- client -------------------------------------------------------------------------------


def _connect(path: Path) -> socket.socket | None:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(str(path))
    except (FileNotFoundError, ConnectionRefusedError):
        sock.close()
        return None
    return sock


def _start_server(path: Path) -> socket.socket:
    BUILD_DIR.mkdir(exist_ok=True)
    with open(BUILD_DIR / "runner.lock", "w") as lock, open(BUILD_DIR / "runner.log", "ab") as log:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one client at a time decides to start a server
        sock = _connect(path)
        if sock is not None:
            return sock
        with contextlib.suppress(FileNotFoundError):
            path.unlink()  # left by a server that died
        subprocess.Popen(
            [sys.executable, "-m", "analysis.runner", "--serve", str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120  # a loaded 2-core machine imports slowly
        while time.monotonic() < deadline:
            sock = _connect(path)
            if sock is not None:
                return sock
            time.sleep(0.01)
    raise SystemExit(f"runner: the step server did not start; see {BUILD_DIR / 'runner.log'}")


def run_client(argv: list[str]) -> int:
    if os.environ.get("NKB_RUNNER") == "inline":
        return _run_step(argv)
    path = _socket_path()
    sock = _connect(path) or _start_server(path)
    request = json.dumps({"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)}).encode()
    sys.stdout.flush()
    sys.stderr.flush()
    socket.send_fds(sock, [struct.pack("!I", len(request)) + request], [0, 1, 2])
    # The child answers with its pid, then its exit status. Closing this socket (we are killed)
    # tells it to stop; an interrupt (Ctrl-C, or Jupyter interrupting a kernel) is passed on.
    pid = _read_int(sock)
    if pid is not None:
        signal.signal(signal.SIGINT, lambda *_: _signal_group(pid, signal.SIGINT))
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    code = _read_int(sock) if pid is not None else None
    if code is None:
        print(f"runner: step {argv[0]} died without an exit status", file=sys.stderr)
        return 1
    return code


def _exit_with_parent(parent: int) -> None:
    # A step's parent (make, or Jupyter for a report kernel) killed outright cannot tell us; an
    # orphaned client exits, which closes the socket and stops the step.
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _read_int(sock: socket.socket) -> int | None:
    data = b""
    while len(data) < 4:
        chunk = sock.recv(4 - len(data))
        if not chunk:
            return None
        data += chunk
    return struct.unpack("!i", data)[0]


def _signal_group(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signum)


# --- server -------------------------------------------------------------------------------


def _run_step(argv: list[str]) -> int:
    sys.argv = list(argv)
    try:
        runpy.run_module(argv[0], run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        if exc.code is None:
            return 0
        if isinstance(exc.code, int):
            return exc.code
        print(exc.code, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"stopped: {argv[0]} was interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - what the step's own run_step could not catch
        # (an error on import, say); analysis.io imports only the standard library
        from analysis.io import failure_message, step_name

        print(failure_message(step_name(argv[0], argv[1:]), exc), file=sys.stderr)
        return 1
    return 0


def _receive(conn: socket.socket) -> tuple[dict, list[int]]:
    """A client's request (argv, cwd, environment) and its stdin, stdout and stderr."""
    size_raw, fds, _flags, _addr = socket.recv_fds(conn, 4, 3)
    (size,) = struct.unpack("!I", size_raw)
    payload = b""
    while len(payload) < size:
        payload += conn.recv(size - len(payload))
    return json.loads(payload), fds


def _child(conn: socket.socket, listener: socket.socket, request: dict, fds: list[int]) -> None:
    listener.close()
    for target, fd in zip((0, 1, 2), fds, strict=True):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])

    def stop(signum: int, _frame: object) -> None:
        # unwind quietly, so `finally` blocks remove half-written temporary files
        raise SystemExit(128 + signum)

    # Ctrl-C (passed on by the client) is Python's KeyboardInterrupt, which the step reports
    # in one line (analysis.io.run_step); being stopped by make or the watcher is silent
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, stop)

    def watch_client() -> None:
        # The client never sends after its request: end-of-file means it is gone.
        with contextlib.suppress(OSError):
            conn.recv(1)
        os.killpg(0, signal.SIGTERM)
        time.sleep(KILL_GRACE_SECONDS)
        os.killpg(0, signal.SIGKILL)

    # own group, so what this step starts (Chromium, say) dies with it; a report kernel has its
    # own session, and its client exits when the step does (see _exit_with_parent)
    os.setpgid(0, 0)
    conn.sendall(struct.pack("!i", os.getpid()))
    threading.Thread(target=watch_client, daemon=True).start()
    code = 1
    try:
        code = _run_step(request["argv"])
    finally:
        # once the status is sent the client exits and the watcher signals us: ignore that
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        sys.stdout.flush()
        sys.stderr.flush()
        with contextlib.suppress(OSError):
            conn.sendall(struct.pack("!i", code))
        os._exit(code)


def _load(later: list[str], count: int | None = None) -> None:
    """Import the next `count` of the modules left to load (all of them when None)."""
    for _ in range(len(later) if count is None else min(count, len(later))):
        with contextlib.suppress(ImportError):
            importlib.import_module(later.pop(0))


def _needs_later(argv: list[str]) -> bool:
    """A report build and a report kernel use every module of PRELOAD_LATER: the server loads
    them before forking one (a build that starts with a report pays them once, as before)."""
    return argv[:2] == ["analysis.report", "build"] or argv[:1] == ["ipykernel_launcher"]


def serve(path: Path) -> None:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    inode = path.stat().st_ino
    listener.listen(64)  # clients may connect and wait while we import
    os.environ.setdefault("MPLBACKEND", "Agg")
    # Children read the project's modules fresh; their bytecode is written once here, also where
    # PYTHONDONTWRITEBYTECODE is set, or every child would compile them again (a stale file is
    # never used: Python checks each source's size and time; one that cannot be written, say in
    # a read-only copy, is compiled in memory as before, silently)
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parent), quiet=2)
    for name in PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    later = list(PRELOAD_LATER)
    children: set[int] = set()
    last_active = time.monotonic()
    try:
        while True:
            ready, _, _ = select.select([listener], [], [], 0.0 if later else 0.2)
            for pid in list(children):
                if os.waitpid(pid, os.WNOHANG)[0]:
                    children.discard(pid)
            if ready:
                conn, _ = listener.accept()
                try:
                    conn.settimeout(10)  # a client sends its request as soon as it connects
                    request, fds = _receive(conn)
                    conn.settimeout(None)
                except (OSError, ValueError, struct.error):  # a client gone before asking
                    conn.close()
                    continue
                if later and _needs_later(request["argv"]):
                    _load(later)
                pid = os.fork()
                if pid == 0:
                    try:
                        _child(conn, listener, request, fds)
                    finally:
                        os._exit(1)  # a child never returns into the server's loop
                conn.close()
                for fd in fds:
                    os.close(fd)
                children.add(pid)
            if children or ready:
                last_active = time.monotonic()
            if later and not ready:  # nothing waiting: load one more module
                _load(later, 1)
            elif time.monotonic() - last_active > IDLE_SECONDS or not path.exists():
                return
    finally:
        listener.close()
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_ino == inode:  # a newer server may own the path by now
                path.unlink()


def main() -> None:
    if sys.argv[1:2] == ["--serve"]:
        serve(Path(sys.argv[2]))
        return
    if len(sys.argv) < 2:
        raise SystemExit("usage: python -m analysis.runner MODULE [ARGS...]")
    sys.exit(run_client(sys.argv[1:]))


if __name__ == "__main__":
    main()
