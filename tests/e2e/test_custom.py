"""`make custom` builds one report from a YAML kept anywhere, and nothing else: a hostile or
clashing parameter file is refused in one short line and changes no file of the project."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.e2e.helpers import make

pytestmark = pytest.mark.slow
LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n"
    for i in range(8)
)


def tree(root: Path) -> dict[str, str]:
    """Every file of the project copy but the environment and build/ (the runner's socket)."""
    skip = {".venv", ".tools", "build"}
    files = [
        p for p in root.rglob("*") if p.is_file() and not skip & set(p.relative_to(root).parts)
    ]
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.mark.proof  # a make run per case: make proof
def test_hostile_or_clashing_parameter_files_are_refused(built: Path, tmp_path: Path) -> None:
    evil = tmp_path / "evil.py"  # a notebook that leaves a mark if it ever runs
    marker = tmp_path / "ran"
    evil.write_text(f"# %%\nopen({str(marker)!r}, 'w').write('ran')\n")
    cases = {
        "...yaml": ("template: brief\n", "cannot name a report"),
        "gallery.yaml": ("template: brief\n", "taken by another output"),
        "arrivals.yaml": ("template: arrivals\ntitle: mine\n", "shipped parameter set"),
        "abs.yaml": (f"template: {tmp_path / 'evil'}\n", "not a shipped template"),
        "up.yaml": ("template: ../../analysis/narrate\n", "not a shipped template"),
        "laughs.yaml": ("template: brief\n" + LAUGHS, "anchors and aliases"),
        "dup.yaml": ("template: brief\ntitle: a\ntitle: b\n", "given twice"),
        "big.yaml": ("template: brief\n#" + "x" * 70_000 + "\n", "larger than 64 KB"),
        "latin.yaml": ("template: brief\ntitle: caf\xe9\n", "not UTF-8"),
    }
    make(built, "custom")  # brings what custom needs up to date (then asks for PARAMS)
    before = tree(built)
    assert {"reports/gallery.html", "reports/arrivals.html"} <= set(before)
    # the last case: the path reaches the build whole, never read by the shell
    cases["in a folder; with $(odd) name/gallery.yaml"] = cases["gallery.yaml"]
    for file_name, (text, why) in cases.items():
        path = tmp_path / "sets" / file_name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("latin-1" if "latin" in file_name else "utf-8"))
        result = make(built, "custom", f"PARAMS={path}")
        errors = result.stderr.replace(str(path), "PATH").splitlines()
        errors = [line for line in errors if line.startswith("error:")]
        assert result.returncode != 0, file_name
        assert len(errors) == 1 and why in errors[0] and len(errors[0]) < 250, (file_name, errors)
        assert "Traceback" not in result.stderr, file_name
    assert not marker.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evil.py", "sets"]  # none beside
    assert tree(built) == before  # nothing written, nothing deleted, reports/ whole
