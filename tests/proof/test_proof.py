"""Slow proofs (`make proof`, run by .ci/run): two clean builds in two folders are identical
and carry no machine details; a build killed at any stage publishes nothing and finishes, on
the next run, with the same outputs as a clean build; a build that fails at any step after the
data changes nothing, and once the fault is gone gives a clean build's outputs; two builds
started at once in one folder both succeed, one after the other."""

from __future__ import annotations

import contextlib
import csv
import getpass
import io
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from analysis import runner
from analysis.bench import copy_project
from tests.corpus import ODD_BUT_VALID
from tests.e2e import fault
from tests.e2e.helpers import digest, make, make_env

pytestmark = pytest.mark.proof


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("first")
    copy_project(root)
    result = make(root, "report")
    assert result.returncode == 0, result.stderr
    return root, digest(root)


def test_two_folders_build_identical_bytes(
    reference: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    first, expected = reference
    other = tmp_path_factory.mktemp("a-second-folder-with-a-longer-name")
    copy_project(other)
    assert make(other, "report").returncode == 0
    got = digest(other)
    assert sorted(got) == sorted(expected)
    differ = [f for f in expected if got[f] != expected[f]]
    assert differ == [], differ
    # no output names the folder, the checkout, the user or the host
    user = getpass.getuser()
    leaks = [str(first), str(other), str(Path(__file__).resolve().parents[2]), str(Path.home())]
    leaks += [f"/{user}/", f"{user}@"]
    host = socket.gethostname()
    if len(host) >= 6:  # a short name would match random bytes of a PNG
        leaks.append(host)
    for f in expected:
        data = (first / f).read_bytes()
        for text in leaks:
            assert text.encode() not in data, f"{f} contains {text!r}"


def processes_in(root: Path) -> list[str]:
    """Command lines of the processes whose working directory is inside root (Linux /proc)."""
    found, root = [], root.resolve()
    for proc in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            if proc.name.isdigit() and Path(os.readlink(proc / "cwd")).is_relative_to(root):
                found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode())
    return found


@pytest.mark.parametrize(
    "step",
    ["analysis.validate", "analysis.models", "analysis.charts", "analysis.report build"],
)
def test_interrupted_build_recovers(
    reference: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory, step: str
) -> None:
    _, expected = reference
    root = tmp_path_factory.mktemp("interrupted")
    copy_project(root)
    tracked = digest(root)
    env = make_env()
    proc = subprocess.Popen(
        ["make", "report"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if step in line:
            time.sleep(0.7)  # inside the step
            break
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=60)
    # nothing outlives the build: steps, report kernels and Chromium stop; the server idles out
    deadline = time.monotonic() + runner.KILL_GRACE_SECONDS + runner.IDLE_SECONDS + 10
    while (left := processes_in(root)) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert left == [], left
    assert digest(root) == tracked  # nothing was published
    result = make(root, "report")
    assert result.returncode == 0, result.stderr
    got = digest(root)
    differ = sorted(f for f in set(got) | set(expected) if got.get(f) != expected.get(f))
    assert differ == [], differ


def test_odd_but_valid_input_builds_through_make(
    reference: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Input validation accepts (header cells with spaces, a year before 1998, a figure of
    10^20, a second source for a Hoeryong quantity, mathtext in a label and a publisher) builds
    through `make report` with what each case expects; undone, the outputs are a clean build's."""
    _, expected = reference
    root = tmp_path_factory.mktemp("odd")
    copy_project(root)
    raw = root / "data/raw"
    saved = {p: p.read_bytes() for p in raw.glob("*.csv")}
    for case in ODD_BUT_VALID:
        case.apply(raw)
    result = make(root, "report")
    assert result.returncode == 0, result.stderr
    for case in ODD_BUT_VALID:
        case.check(root)
    for path, data in saved.items():
        path.write_bytes(data)
    result = make(root, "report")
    assert result.returncode == 0, result.stderr
    got = digest(root)
    differ = sorted(f for f in set(got) | set(expected) if got.get(f) != expected.get(f))
    assert differ == [], differ


def differences(got: dict[str, str], expected: dict[str, str]) -> list[str]:
    return sorted(f for f in set(got) | set(expected) if got.get(f) != expected.get(f))


def new_rows(raw: Path) -> dict[str, str]:
    """A new source with a revision of 2021 and a count for the year after the shipped data,
    published after every shipped source: rows to append to each raw table."""
    text = {name: (raw / f"{name}.csv").read_text() for name in ("sources", "arrivals")}
    published = max(r["published"] for r in csv.DictReader(io.StringIO(text["sources"])))
    arrivals = csv.DictReader(io.StringIO(text["arrivals"]))
    year = max(int(r["year"]) for r in arrivals if r["period"] == "year") + 1
    date = f"{int(published[:4]) + 1}-01-20"
    sid = f"test-mou-{date}"
    return {
        "sources": f"{sid},Test ministry,Revised table,,{date}\n",
        "arrivals": f"2021,year,total,64,{sid}\n{year},year,total,67,{sid}\n",
    }


def update(root: Path, rows: dict[str, str], on: bool) -> None:
    """Append the rows (on), or take them out again."""
    for name, added in rows.items():
        path = root / f"data/raw/{name}.csv"
        text = path.read_text()
        assert on or text.endswith(added)
        path.write_text(text + added if on else text.removesuffix(added))


def test_failed_builds_change_nothing_and_the_next_build_is_a_clean_builds(
    reference: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Raw data changed, then a fault in one step: the build fails, every published file stays
    as it was; without the fault the next build gives what a clean build of the same data gives.
    The data go back and forth, a different step failing each time; every step runs in
    parallel as usual (`make test` has the same check one step at a time)."""
    _, old = reference
    clean = tmp_path_factory.mktemp("clean-update")
    copy_project(clean)
    rows = new_rows(clean / "data/raw")
    update(clean, rows, on=True)
    assert make(clean, "report").returncode == 0
    new = digest(clean)
    assert differences(new, old)  # the update changes outputs
    root = tmp_path_factory.mktemp("failing")
    copy_project(root)
    assert make(root, "report").returncode == 0
    steps = ["analysis.models", "analysis.charts quarterly", "analysis.report build"]
    steps += ["analysis.report pdf"] if (root / "build/stage/reports/brief.pdf").exists() else []
    for i, step in enumerate(steps):
        update(root, rows, on=i % 2 == 0)
        before, expected = (old, new) if i % 2 == 0 else (new, old)
        result = make(root, "report", f"RUN={fault.RUN}", f"NKB_FAULT={step}")
        assert result.returncode != 0 and "error: injected fault" in result.stderr, step
        assert differences(digest(root), before) == [], step
        result = make(root, "report")
        assert result.returncode == 0, result.stderr
        assert differences(digest(root), expected) == [], step


def test_two_builds_at_once_both_succeed(
    reference: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    _, expected = reference
    root = tmp_path_factory.mktemp("two-at-once")
    copy_project(root)
    env = make_env()
    builds = [
        subprocess.Popen(
            ["make", "report"],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    done = [b.communicate(timeout=900) for b in builds]
    assert [b.returncode for b in builds] == [0, 0], [err for _, err in done]
    waited = [err for _, err in done if "note: another build is running" in err]
    assert len(waited) == 1, [err for _, err in done]
    assert waited[0].splitlines()[0].startswith("note: another build is running in this folder")
    assert sum("Nothing to be done" in out for out, _ in done) == 1
    assert differences(digest(root), expected) == []
