"""The last step of a build: publish the stage into data/processed and reports/; and the lock
that lets one build at a time run in a folder.

    python -m analysis.publish               # copy what changed, remove what the stage dropped
    python3 -S -m analysis.publish lock PID  # (the Makefile) hold the build lock for make PID

Every step writes into the stage (analysis.paths.STAGE); Make runs this step only when every
output is built, so data/processed and reports/ change only after a whole build succeeded.
Each file is replaced atomically, and the step is restartable: the list of files it may touch
is written before the first change, the list of files published (the Make target
build/published) only after the last. A publish killed half-way is finished by the next
`make report`. Tracked files (reports/params, reports/templates) are never written or removed,
and the only files removed are ones an earlier publish wrote.

The lock: the Makefile calls `lock` while it reads itself, for every building goal; this waits
until no other make holds the lock of this folder (saying so in one line), then leaves a small
process holding it until that make exits, however it ends. Standard library only: it runs
before the environment exists.
"""

from __future__ import annotations

import contextlib
import fcntl
import filecmp
import os
import select
import shutil
import signal
import sys
import time
from pathlib import Path

from analysis import paths

RECORD = paths.BUILD / "published"  # files published by the last complete publish
JOURNAL = paths.BUILD / "publishing"  # files a publish under way may have written


def stage_files() -> set[Path]:
    """Every output in the stage, by the path it is published to."""
    found = set()
    for root in paths.PUBLISHED_ROOTS:
        for path in (paths.STAGE / root).rglob("*"):
            # dot files are the temporary files of a step at work or killed
            if path.is_file() and not path.name.startswith("."):
                found.add(path.relative_to(paths.STAGE))
    tracked = sorted(str(p) for p in found if paths.is_protected(p))
    if tracked:
        from analysis.io import InputError

        raise InputError(
            f"error: {paths.STAGE} holds tracked files ({', '.join(tracked[:3])}); nothing was "
            f"published: remove them from {paths.STAGE} and run make report again"
        )
    return found


def _read_list(path: Path) -> set[Path]:
    if not path.exists():
        return set()
    return {Path(line) for line in path.read_text(encoding="utf-8").splitlines() if line}


def _write_list(path: Path, files: set[Path]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text("".join(f"{p.as_posix()}\n" for p in sorted(files)), encoding="utf-8")
    os.replace(tmp, path)


def _temp(dest: Path) -> Path:
    # one name per file: only one publish runs at a time (the build lock)
    return dest.with_name(f".{dest.name}.publishing")


def _copy(src: Path, dest: Path) -> bool:
    """Replace dest with src atomically unless it holds the same bytes; True if it did."""
    with contextlib.suppress(FileNotFoundError):
        if dest.is_file() and filecmp.cmp(src, dest, shallow=False):
            return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp(dest)
    shutil.copyfile(src, tmp)
    os.chmod(tmp, 0o644)
    os.replace(tmp, dest)
    return True


def _remove(dest: Path) -> None:
    dest.unlink(missing_ok=True)
    parent = dest.parent
    while parent not in paths.PUBLISHED_ROOTS and parent != Path("."):
        try:
            parent.rmdir()  # only if empty: a folder the stage no longer has
        except OSError:
            break
        parent = parent.parent


def custom_sets() -> set[str]:
    """The sets built by `make custom` from a YAML outside reports/params."""
    return {p.as_posix() for p in _read_list(paths.CUSTOM_SETS)}


def remember_custom(name: str) -> None:
    """Record a set built from a YAML outside reports/params, so that publishing keeps its
    report (a set that is neither shipped nor custom is one a user removed: its report goes)."""
    known = custom_sets()
    if name not in known:
        paths.BUILD.mkdir(exist_ok=True)
        _write_list(paths.CUSTOM_SETS, {Path(n) for n in known | {name}})


def drop_removed_sets() -> list[str]:
    """Remove from the stage the outputs of parameter sets that are gone: no YAML in
    reports/params and never built by `make custom` (a set a user deleted or renamed). Their
    reports would otherwise be published again, stale, with every build. Returns their names."""
    from analysis.report import RESERVED_NAMES

    kept = {p.stem for p in paths.PARAMS.glob("*.yaml")} | set(RESERVED_NAMES)
    found = {p.stem for p in paths.REPORTS.glob("*.html")}
    found |= {p.stem for p in paths.NOTEBOOKS.glob("*") if not p.name.startswith(".")}
    if not paths.CUSTOM_SETS.exists():
        # a build from before the record: its sets without a YAML may be custom; keep them
        paths.BUILD.mkdir(exist_ok=True)
        _write_list(paths.CUSTOM_SETS, {Path(n) for n in found - kept})
    gone = sorted(found - kept - custom_sets())
    for name in gone:
        for out in (paths.REPORTS / f"{name}.html", paths.REPORTS / f"{name}.pdf"):
            out.unlink(missing_ok=True)
        (paths.NOTEBOOKS / f"{name}.ipynb").unlink(missing_ok=True)
        shutil.rmtree(paths.NOTEBOOKS / name, ignore_errors=True)
    return gone


def publish() -> tuple[int, int]:
    """Make data/processed and reports/ hold what the stage holds; return (copied, removed)."""
    drop_removed_sets()
    files = stage_files()
    earlier = _read_list(RECORD) | _read_list(JOURNAL)
    paths.BUILD.mkdir(exist_ok=True)
    _write_list(JOURNAL, earlier | files)
    for dest in earlier:  # a temporary file of a publish that was killed
        _temp(dest).unlink(missing_ok=True)
    copied = sum(_copy(paths.STAGE / dest, dest) for dest in sorted(files))
    gone = sorted(
        dest
        for dest in earlier - files
        if not paths.is_protected(dest)
        and any(paths.is_under(dest, r) for r in paths.PUBLISHED_ROOTS)
    )
    for dest in gone:
        _remove(dest)
    _write_list(RECORD, files)
    JOURNAL.unlink()
    return copied, len(gone)


# --- one build at a time ----------------------------------------------------------------------


def hold_lock(make_pid: int) -> int:
    """Take this folder's build lock for process make_pid, waiting for another build if need be;
    return the pid of the make holding it for us at once, leaving a child process that holds
    the lock until that make exits."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C while waiting: no traceback
    paths.BUILD.mkdir(exist_ok=True)
    fd = os.open(paths.BUILD_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        # a make run by a recipe of the make that holds the lock (it exports its pid) goes on
        if holder and holder == os.environ.get("NKB_BUILD_LOCK"):
            return int(holder)
        who = f" (make, process {holder})" if holder.isdigit() else ""
        print(
            f"note: another build is running in this folder{who}; waiting for it to finish",
            file=sys.stderr,
            flush=True,
        )
        fcntl.flock(fd, fcntl.LOCK_EX)
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{make_pid}\n".encode(), 0)
    try:
        watch = os.pidfd_open(make_pid)
    except ProcessLookupError:
        return make_pid  # make is gone already
    except (AttributeError, OSError):
        watch = None  # no pidfd (not Linux): poll
    if os.fork():
        return make_pid  # make goes on; the child keeps the lock (it shares fd's open file)
    os.setsid()  # make's Ctrl-C is not ours: we end when make ends
    null = os.open(os.devnull, os.O_RDWR)
    for std in (0, 1, 2):
        os.dup2(null, std)  # make's $(shell) waits for end-of-file on our stdout
    os.chdir("/")
    try:
        if watch is not None:
            select.select([watch], [], [])
        else:
            while os.kill(make_pid, 0) is None:
                time.sleep(0.2)
    except OSError:
        pass
    os._exit(0)


def main() -> None:
    if sys.argv[1:2] == ["lock"] and len(sys.argv) == 3:
        print(hold_lock(int(sys.argv[2])))
        return
    if len(sys.argv) > 1:
        raise SystemExit("usage: python -m analysis.publish [lock MAKE_PID]")
    from analysis.io import run_step  # one-line failures (a full disk, say), like every step

    def step() -> None:
        copied, removed = publish()
        print(f"published {paths.STAGE}: {copied} files updated, {removed} removed")

    run_step(step)


if __name__ == "__main__":
    main()
