"""`make bench`: build times as multiples of the import floor, all measured in one run.

F is one process importing pandas, matplotlib and statsmodels' GLM, the least any build that
fits and draws must pay. The builds run in a temporary copy of the tracked files that shares
this checkout's environment, so no step is skipped because an output already exists here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis import paths, runner

FLOOR_IMPORTS = "import pandas, matplotlib.pyplot, statsmodels.genmod.generalized_linear_model"


def timed(cmd: list[str], cwd: Path) -> tuple[float, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    env["MPLBACKEND"] = "Agg"
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode:
        sys.exit(f"bench: {' '.join(cmd)} failed:\n{done.stderr}")
    return elapsed, done.stdout


def copy_project(dest: Path) -> None:
    tracked = (
        subprocess.run(["git", "ls-files", "-z"], cwd=paths.ROOT, capture_output=True, check=True)
        .stdout.decode()
        .split("\0")
    )
    for rel in filter(None, tracked):
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(paths.ROOT / rel, dest / rel)
    for env_dir in (".venv", ".tools"):
        (dest / env_dir).symlink_to(paths.ROOT / env_dir)


def steps(output: str) -> list[str]:
    return [
        ln.split("analysis.runner ", 1)[1] for ln in output.splitlines() if "analysis.runner " in ln
    ]


def main() -> None:
    python = str(paths.ROOT / ".venv/bin/python")
    floor = min(timed([python, "-c", FLOOR_IMPORTS], paths.ROOT)[0] for _ in range(2))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        copy_project(root)
        cold, out = timed(["make", "report"], root)
        cold_steps = steps(out)
        noop, out = timed(["make", "report"], root)
        assert not steps(out), "a no-op build ran a step"
        time.sleep(runner.IDLE_SECONDS + 1)  # let the warm process exit: edits come later
        raw = root / "data/raw/arrivals.csv"
        raw.write_text(raw.read_text() + "2019,year,total,1048,rfa-2020-07-29\n")
        edit, out = timed(["make", "report"], root)
        edit_steps = steps(out)
    rows = [
        ("import floor F", floor, 1.0, ""),
        ("cold make report", cold, cold / floor, "goal <= 1.5 F"),
        ("no-op make report", noop, noop / floor, "goal <= 0.3 s"),
        ("edit one raw figure", edit, edit / floor, "goal <= 1.2 F"),
    ]
    print(f"{'measure':<22}{'seconds':>9}{'x F':>7}  note")
    for name, sec, ratio, note in rows:
        print(f"{name:<22}{sec:>9.2f}{ratio:>7.2f}  {note}")
    print(f"\ncold build ran {len(cold_steps)} steps; the edit re-ran {len(edit_steps)}:")
    for step in edit_steps:
        print(f"  {step}")


if __name__ == "__main__":
    main()
