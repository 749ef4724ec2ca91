"""Atomic writes: a temporary file is removed only when no process is still writing it."""

from __future__ import annotations

from pathlib import Path

from analysis.io import atomic_path


def test_a_live_temporary_file_of_another_writer_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "chart.svg"
    with atomic_path(target) as first:
        first.write_text("first")
        # a second writer of the same file (another build, say) starts meanwhile
        with atomic_path(target) as second:
            second.write_text("second")
        assert first.exists(), "the second writer removed the first one's live temporary file"
    assert target.read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["chart.svg"]


def test_a_temporary_file_left_by_a_killed_writer_is_removed(tmp_path: Path) -> None:
    target = tmp_path / "table.csv"
    stale = tmp_path / ".table.csv.k1ll3d.csv"  # what a SIGKILLed writer leaves behind
    stale.write_text("half")
    with atomic_path(target) as tmp:
        tmp.write_text("whole")
    assert not stale.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]
