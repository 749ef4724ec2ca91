"""Atomic writes, deterministic CSV/JSON output and how every step ends: one line saying why."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import glob
import json
import os
import re
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any


class InputError(Exception):
    """Bad input a user can fix: the message is complete lines; no traceback is shown."""


def _remove_if_abandoned(tmp: Path) -> None:
    """Remove a temporary file whose writer is gone: a live writer holds a lock on it."""
    try:
        fd = os.open(tmp, os.O_RDONLY)
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return  # another process is writing it
    else:
        # the name may now be a newer writer's file: remove only the file we locked
        with contextlib.suppress(FileNotFoundError):
            if os.stat(tmp).st_ino == os.fstat(fd).st_ino:
                os.unlink(tmp)
    finally:
        os.close(fd)


def _locked_temp(path: Path) -> tuple[int, str]:
    """A new temporary file beside `path`, locked for as long as the descriptor is open."""
    while True:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
        fcntl.flock(fd, fcntl.LOCK_EX)
        # between mkstemp and flock another writer may have taken it for abandoned
        with contextlib.suppress(FileNotFoundError):
            if os.stat(tmp).st_ino == os.fstat(fd).st_ino:
                return fd, tmp
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; move it into place only if the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # a temporary file left by a killed build (SIGKILL cannot be caught) goes now; one that
    # another process is still writing stays (its writer holds a lock on it)
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*{path.suffix}"):
        _remove_if_abandoned(stale)
    fd, tmp = _locked_temp(path)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        os.close(fd)


@contextlib.contextmanager
def atomic_open(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    with atomic_path(path) as tmp, open(tmp, mode, encoding=None if "b" in mode else "utf-8") as fh:
        yield fh


def up_to_date(outputs: list[Path], inputs: list[Path]) -> bool:
    """As make sees it: every output exists and none is older than the newest input that
    exists. A step may then reuse the outputs instead of making them again."""
    try:
        oldest = min(f.stat().st_mtime_ns for f in outputs)
    except (OSError, ValueError):  # an output missing, or none named
        return False
    return all(oldest >= f.stat().st_mtime_ns for f in inputs if f.exists())


def write_csv(df: Any, path: Path) -> None:
    """Write a DataFrame as UTF-8 CSV with LF line ends and no index, atomically."""
    with atomic_open(path) as fh:
        df.to_csv(fh, index=False, lineterminator="\n")


def write_json(obj: Any, path: Path) -> None:
    with atomic_open(path) as fh:
        json.dump(obj, fh, indent=2, ensure_ascii=False, sort_keys=False)
        fh.write("\n")


LOGS = Path("build") / "logs"
MESSAGE_CHARS = 300  # an exception's own text is cut to this length in the one-line message
DISK_ERRORS = {
    errno.EROFS: ("the file system is read-only", "build in a writable copy of the project"),
    errno.EACCES: ("permission denied", "make the folder and its files writable for this user"),
    errno.EPERM: ("operation not permitted", "make the folder and its files writable"),
    errno.ENOSPC: ("the disk is full", "free some space and run make again"),
    errno.EDQUOT: ("the disk quota is exceeded", "free some space and run make again"),
}


def step_name(module: str, args: list[str]) -> str:
    """The step as Make runs it, e.g. "charts arrivals" (paths by their file name)."""
    shown = [Path(a).name if os.sep in a else a for a in args]
    return " ".join([module.removeprefix("analysis."), *shown])


def one_line(text: str, limit: int = MESSAGE_CHARS) -> str:
    """Text on one line: whitespace runs (newlines included) become one space; cut to `limit`."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _save_traceback(step: str, exc: BaseException) -> str:
    """Write the traceback to build/logs/STEP.log; return where, or why it could not be saved."""
    log = LOGS / (re.sub(r"[^\w.-]+", "-", step) + ".log")
    try:
        LOGS.mkdir(parents=True, exist_ok=True)
        log.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
    except OSError as err:
        return f"the traceback could not be saved ({err.strerror or err})"
    return f"the traceback is in {log}"


def failure_message(step: str, exc: BaseException) -> str:
    """One line for an exception a step did not expect, naming the step and its cause."""
    saved = _save_traceback(step, exc)
    if isinstance(exc, OSError) and exc.errno in DISK_ERRORS:
        what, fix = DISK_ERRORS[exc.errno]
        where = ""
        if exc.filename:
            name = Path(str(exc.filename))
            # a temporary file of atomic_path (".NAME.xyz.csv"): the folder is what to fix
            where = f" ({name.parent}/)" if name.name.startswith(".") else f" ({name})"
        return f"error: {step}: {what}{where}; {fix} ({saved})"
    detail = one_line(f"{type(exc).__name__}: {exc}")
    return f"error: {step} failed: {detail} ({saved})"


def run_step(main: Callable[[], None]) -> None:
    """Run a step's main() so that every way it can end says why in one line.

    Bad input: its message alone, exit status 2. Ctrl-C: one line, 130. Any other exception:
    one line naming the step and the cause (a read-only or full disk by name), with the full
    traceback in build/logs/STEP.log; exit status 1. The last good outputs stay in place
    (every write is atomic)."""
    spec = main.__globals__.get("__spec__")
    step = step_name(spec.name if spec else Path(sys.argv[0]).stem, sys.argv[1:])
    try:
        main()
    except InputError as exc:
        print(str(exc), file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print(f"stopped: {step} was interrupted; the last good outputs are kept", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the point is to say why, whatever it was
        print(failure_message(step, exc), file=sys.stderr)
        sys.exit(1)
