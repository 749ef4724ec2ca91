"""One build at a time in a folder: a second `make` waits for the first and says so in one line.
(`make proof` runs two real builds at once in a fresh copy.)"""

from __future__ import annotations

import fcntl
import subprocess
import time
from pathlib import Path

import pytest

from tests.e2e.helpers import make_env

pytestmark = pytest.mark.slow


def test_a_second_build_waits_for_the_first(built: Path) -> None:
    env = make_env()
    with open(built / "build/build.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a build is running
        second = subprocess.Popen(
            ["make", "report"],
            cwd=built,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert second.stderr is not None
        line = second.stderr.readline()
        assert line.startswith("note: another build is running in this folder"), line
        time.sleep(1)
        assert second.poll() is None, "the second build did not wait"
    out, err = second.communicate(timeout=60)  # the first is done: the second goes on
    assert second.returncode == 0, err
    assert "Nothing to be done" in out and err == ""
