"""Atomic writes, deterministic CSV/JSON output and the clean-error convention of every step."""

from __future__ import annotations

import contextlib
import fcntl
import glob
import json
import os
import sys
import tempfile
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


def write_csv(df: Any, path: Path) -> None:
    """Write a DataFrame as UTF-8 CSV with LF line ends and no index, atomically."""
    with atomic_open(path) as fh:
        df.to_csv(fh, index=False, lineterminator="\n")


def write_json(obj: Any, path: Path) -> None:
    with atomic_open(path) as fh:
        json.dump(obj, fh, indent=2, ensure_ascii=False, sort_keys=False)
        fh.write("\n")


def run_step(main: Callable[[], None]) -> None:
    """Run a step's main(); bad input ends it with the message alone and exit status 2."""
    try:
        main()
    except InputError as exc:
        print(str(exc), file=sys.stderr)
        sys.exit(2)
