"""Every way a step can end says why in one line; the traceback goes to build/logs/STEP.log.
Atomic writes: a temporary file is removed only when no process is still writing it."""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import io


def run(main, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    with pytest.raises(SystemExit) as ended:
        io.run_step(main)
    return ended.value.code, capsys.readouterr().err.splitlines()


def test_an_unexpected_error_is_one_line_naming_the_step_and_its_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["analysis/charts.py", "arrivals"])

    def main() -> None:
        {}["watchtowers"]

    code, err = run(main, capsys)
    assert code == 1
    assert len(err) == 1, err
    assert err[0].startswith("error: ") and "KeyError: 'watchtowers'" in err[0], err
    assert "arrivals" in err[0] and "Traceback" not in err[0]
    log = err[0].rsplit("the traceback is in ", 1)[1].rstrip(")")
    assert log.startswith("build/logs/") and log.endswith(".log")
    assert "Traceback" in (tmp_path / log).read_text()


def test_a_multi_line_exception_text_stays_on_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["analysis/report.py", "build", "reports/params/x.yaml"])

    def main() -> None:
        raise ValueError("\n\\foo\n^\nParseFatalException: Unknown symbol" + "x" * 2000)

    code, err = run(main, capsys)
    assert code == 1 and len(err) == 1 and len(err[0]) < 500, err


def test_ctrl_c_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)

    def main() -> None:
        raise KeyboardInterrupt

    code, err = run(main, capsys)
    assert code == 130
    assert len(err) == 1 and "interrupted" in err[0], err


@pytest.mark.parametrize(
    ("number", "named"),
    [
        (errno.EROFS, "read-only"),
        (errno.EACCES, "permission denied"),
        (errno.ENOSPC, "disk is full"),
    ],
)
def test_a_read_only_or_full_disk_is_named_as_such(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    number: int,
    named: str,
) -> None:
    """The real write path (write_csv -> atomic_path) failing as the OS would fail it."""
    monkeypatch.chdir(tmp_path)

    def refuse(src: str, dst: str) -> None:
        raise OSError(number, os.strerror(number), src)

    monkeypatch.setattr(io.os, "replace", refuse)

    def main() -> None:
        io.write_csv(pd.DataFrame({"a": [1]}), Path("data/processed/x.csv"))

    code, err = run(main, capsys)
    assert code == 1 and len(err) == 1, err
    assert named in err[0] and "data/processed/" in err[0], err
    assert not list((tmp_path / "data/processed").iterdir())  # no temporary file left


def test_input_errors_keep_their_lines_and_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)

    def main() -> None:
        raise io.InputError("error: a\nerror: b")

    assert run(main, capsys) == (2, ["error: a", "error: b"])
    assert not (tmp_path / "build").exists()  # bad input is not a bug: no log


def test_a_live_temporary_file_of_another_writer_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "chart.svg"
    with io.atomic_path(target) as first:
        first.write_text("first")
        # a second writer of the same file (another build, say) starts meanwhile
        with io.atomic_path(target) as second:
            second.write_text("second")
        assert first.exists(), "the second writer removed the first one's live temporary file"
    assert target.read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["chart.svg"]


def test_a_temporary_file_left_by_a_killed_writer_is_removed(tmp_path: Path) -> None:
    target = tmp_path / "table.csv"
    stale = tmp_path / ".table.csv.k1ll3d.csv"  # what a SIGKILLed writer leaves behind
    stale.write_text("half")
    with io.atomic_path(target) as tmp:
        tmp.write_text("whole")
    assert not stale.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]
