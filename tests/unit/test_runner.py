"""The step runner: steps share one warm server, which outlives them; exit codes pass through."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import paths

PROBE = """
import os, sys
print(os.getppid())
sys.exit(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
"""


def step(tmp: Path, *args: str, module: str = "probe") -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(paths.ROOT))
    env.pop("NKB_RUNNER", None)
    return subprocess.Popen(
        [sys.executable, "-m", "analysis.runner", module, *args],
        cwd=tmp,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_steps_share_a_server_that_outlives_them(tmp_path: Path) -> None:
    (tmp_path / "probe.py").write_text(PROBE)
    first = [step(tmp_path) for _ in range(2)]  # both arrive while the server is importing
    servers = {int(p.communicate(timeout=180)[0]) for p in first}
    assert all(p.returncode == 0 for p in first)
    assert len(servers) == 1, "two concurrent steps started two servers"
    # quick steps in a row: each exit used to race the server's own clean-up and end it
    for _ in range(8):
        later = step(tmp_path, "3")
        out, _ = later.communicate(timeout=180)
        assert later.returncode == 3
        assert int(out) in servers, "the server did not survive the steps it ran"


FAILING = """
import sys, time
from analysis.io import run_step

def main():
    if sys.argv[1:] == ["wait"]:
        print("ready", flush=True)
        time.sleep(120)
    {}["watchtowers"]

run_step(main)
"""


@pytest.fixture(scope="module")
def failing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a failing step; its tests share one warm server (it starts in seconds)."""
    folder = tmp_path_factory.mktemp("failing")
    (folder / "failing.py").write_text(FAILING)
    return folder


def test_a_failing_step_says_why_through_the_server(failing: Path) -> None:
    """The forked child's one-line message reaches the client's stderr; the status is not 0."""
    proc = step(failing, module="failing")
    _, err = proc.communicate(timeout=180)
    lines = err.splitlines()
    assert proc.returncode == 1
    assert len(lines) == 1 and "KeyError: 'watchtowers'" in lines[0], lines
    assert "Traceback" in (failing / "build/logs/failing.log").read_text()


def test_ctrl_c_prints_one_line(failing: Path) -> None:
    proc = step(failing, "wait", module="failing")
    assert proc.stdout.readline() == "ready\n"
    proc.send_signal(signal.SIGINT)  # what the terminal sends to the foreground job
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert len(err.splitlines()) == 1 and "interrupted" in err, err
