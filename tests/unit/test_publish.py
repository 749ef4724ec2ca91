"""Publishing the stage: what changed is copied, what went is removed (only outputs a publish
wrote, never tracked files), and a publish killed half-way is finished by the next one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis import paths, publish
from analysis.io import InputError


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for tracked in ("reports/params/brief.yaml", "reports/templates/brief.py"):
        Path(tracked).parent.mkdir(parents=True)
        Path(tracked).write_text("tracked\n")
    Path("data/processed").mkdir(parents=True)
    Path("data/processed/.gitkeep").write_text("")
    return tmp_path


def stage(files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = paths.STAGE / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def tree() -> dict[str, str]:
    return {
        p.as_posix(): p.read_text()
        for root in ("data/processed", "reports")
        for p in sorted(Path(root).rglob("*"))
        if p.is_file()
    }


TRACKED = {
    "data/processed/.gitkeep": "",
    "reports/params/brief.yaml": "tracked\n",
    "reports/templates/brief.py": "tracked\n",
}


def test_publish_copies_changes_and_removes_what_the_stage_dropped(project: Path) -> None:
    stage(
        {
            "data/processed/a.csv": "1\n",
            "reports/brief.html": "<p>old</p>",
            "reports/notebooks/brief/headline.json": "{}",
        }
    )
    assert publish.publish() == (3, 0)
    Path("reports/my-notes.txt").write_text("a user's file")  # never published: never removed
    (paths.STAGE / "reports/notebooks/brief/headline.json").unlink()
    stage({"reports/brief.html": "<p>new</p>", "reports/.brief.html.x1.html": "half-written"})
    before = Path("data/processed/a.csv").stat().st_mtime_ns
    assert publish.publish() == (1, 1)
    assert tree() == TRACKED | {
        "data/processed/a.csv": "1\n",
        "reports/brief.html": "<p>new</p>",
        "reports/my-notes.txt": "a user's file",
    }
    assert not Path("reports/notebooks").exists()  # an emptied folder goes too
    assert Path("data/processed/a.csv").stat().st_mtime_ns == before  # unchanged: not copied
    assert publish.publish() == (0, 0)


def test_a_killed_publish_is_finished_by_the_next(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stage({f"reports/figures/c{i}.svg": "old" for i in range(4)})
    publish.publish()
    (paths.STAGE / "reports/figures/c3.svg").unlink()
    stage({f"reports/figures/c{i}.svg": "new" for i in range(3)} | {"reports/gallery.html": "x"})
    copy, calls = publish._copy, []

    def dies_on_the_second_copy(src: Path, dest: Path) -> bool:
        calls.append(dest)
        if len(calls) == 2:
            publish._temp(dest).write_text("ne")  # killed while writing
            raise KeyboardInterrupt
        return copy(src, dest)

    monkeypatch.setattr(publish, "_copy", dies_on_the_second_copy)
    with pytest.raises(KeyboardInterrupt):
        publish.publish()
    monkeypatch.setattr(publish, "_copy", copy)
    publish.publish()
    assert tree() == TRACKED | {f"reports/figures/c{i}.svg": "new" for i in range(3)} | {
        "reports/gallery.html": "x"
    }
    assert publish.RECORD.read_text().splitlines() == [
        "reports/figures/c0.svg",
        "reports/figures/c1.svg",
        "reports/figures/c2.svg",
        "reports/gallery.html",
    ]
    assert not publish.JOURNAL.exists()


def test_a_removed_parameter_set_is_unpublished_a_custom_one_kept(project: Path) -> None:
    # a user deletes reports/params/old.yaml: its report must not be published again, stale
    Path("reports/params/old.yaml").write_text("tracked\n")
    outputs = ("reports/{}.html", "reports/notebooks/{}.ipynb", "reports/notebooks/{}/h.json")
    stage({o.format(n): n for o in outputs for n in ("brief", "old", "mine")})
    publish.remember_custom("mine")  # what `make custom PARAMS=elsewhere/mine.yaml` records
    publish.publish()
    Path("reports/params/old.yaml").unlink()
    publish.publish()
    left = {p for p in tree() if not p.startswith("reports/params")}
    assert left == {"data/processed/.gitkeep", "reports/templates/brief.py"} | {
        o.format(n) for o in outputs for n in ("brief", "mine")
    }
    assert not (paths.STAGE / "reports/old.html").exists()


def test_sets_built_before_the_record_are_kept(project: Path) -> None:
    # a build from before build/custom-sets existed: its custom reports are not deleted
    stage({"reports/brief.html": "b", "reports/mine.html": "m"})
    publish.publish()
    assert {"reports/brief.html", "reports/mine.html"} <= set(tree())
    assert paths.CUSTOM_SETS.read_text() == "mine\n"


def test_a_tracked_path_in_the_stage_is_refused(project: Path) -> None:
    stage({"reports/templates/brief.py": "replaced", "reports/a.html": "a"})
    with pytest.raises(InputError, match="tracked"):
        publish.publish()
    assert tree() == TRACKED


def test_paths_map_between_the_stage_and_the_published_tree() -> None:
    assert paths.processed("x") == paths.STAGE / "data/processed/x.csv"
    assert paths.published(paths.processed("x")) == Path("data/processed/x.csv")
    assert paths.staged("reports/notebooks/brief") == paths.NOTEBOOKS / "brief"
    assert paths.staged(paths.NOTEBOOKS / "brief") == paths.NOTEBOOKS / "brief"
    for unchanged in ("data/raw/arrivals.csv", "reports/templates/brief.py", "/tmp/x"):
        assert paths.staged(unchanged) == Path(unchanged)


def test_the_makefile_stages_where_paths_says() -> None:
    makefile = (paths.ROOT / "Makefile").read_text()
    assert re.search(r"^S := (\S+)$", makefile, re.M).group(1) == paths.STAGE.as_posix()
