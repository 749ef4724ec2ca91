"""Atomic writes, deterministic CSV/JSON output and the clean-error convention of every step."""

from __future__ import annotations

import contextlib
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


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; move it into place only if the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # a temporary file left by a killed build (SIGKILL cannot be caught) goes now
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*{path.suffix}"):
        stale.unlink(missing_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


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
