"""The step runner: steps share one warm server, which outlives them; exit codes pass through."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from analysis import paths

PROBE = """
import os, sys
print(os.getppid())
sys.exit(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
"""


def step(tmp: Path, *args: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(paths.ROOT))
    env.pop("NKB_RUNNER", None)
    return subprocess.Popen(
        [sys.executable, "-m", "analysis.runner", "probe", *args],
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
