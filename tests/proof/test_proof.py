"""Slow proofs (`make proof`, run by .ci/run): two clean builds in two folders are identical
and carry no machine details; a build killed at any stage finishes, on the next run, with the
same outputs as a clean build."""

from __future__ import annotations

import contextlib
import getpass
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
from tests.e2e.helpers import digest, make

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
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
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
