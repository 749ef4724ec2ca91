"""`make bench`: build times as multiples of the import floor, all measured in one run.

F is one process importing pandas, matplotlib and statsmodels' GLM, the least any build that
fits and draws must pay. The builds run in a temporary copy of the tracked files that shares
this checkout's environment, so no step is skipped because an output already exists here.

Rows: cold, no-op and one-edit builds; N new report parameter sets added to a built project
(how report cost grows with N); and a fresh clone's set-up (uv bootstrapped, `uv sync --locked`)
against a bare `uv pip sync` of the same locked packages into an empty venv. Then the time of
each chart (all its sizes and formats in both languages, its data and text), as a build pays
it: one step forked from the warm process, the best of CHART_RUNS. Set-up needs the package
indexes or a warm cache, like any install; the bench says so when it cannot reach them.
"""

from __future__ import annotations

import math
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis import paths, runner

FLOOR_IMPORTS = "import pandas, matplotlib.pyplot, statsmodels.genmod.generalized_linear_model"
SET_COUNTS = (1, 5, 20)
CHART_RUNS = 2  # each chart is drawn this many times; the fastest counts (the machine is shared)
Row = tuple[str, float, float, str]


def timed(cmd: list[str], cwd: Path, fail: bool = True) -> tuple[float, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    env["MPLBACKEND"] = "Agg"
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode:
        if not fail:
            return float("nan"), done.stderr
        sys.exit(f"bench: {' '.join(cmd)} failed:\n{done.stderr}")
    return elapsed, done.stdout


def copy_project(dest: Path, share_env: bool = True) -> None:
    tracked = (
        subprocess.run(["git", "ls-files", "-z"], cwd=paths.ROOT, capture_output=True, check=True)
        .stdout.decode()
        .split("\0")
    )
    for rel in filter(None, tracked):
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(paths.ROOT / rel, dest / rel)
    for env_dir in (".venv", ".tools") if share_env else ():
        (dest / env_dir).symlink_to(paths.ROOT / env_dir)


def steps(output: str) -> list[str]:
    return [
        ln.split("analysis.runner ", 1)[1] for ln in output.splitlines() if "analysis.runner " in ln
    ]


def chart_names(root: Path) -> list[str]:
    """The Makefile's CHART_NAMES (one assignment, possibly continued over lines)."""
    text = (root / "Makefile").read_text().replace("\\\n", " ")
    line = next(ln for ln in text.splitlines() if ln.startswith("CHART_NAMES :="))
    return line.split(":=", 1)[1].split()


def chart_times(
    root: Path, floor: float, runs: int = CHART_RUNS, english: bool = False
) -> list[Row]:
    """Each chart drawn by the step a build runs (`analysis.charts NAME`, forked from the warm
    process), into a scratch folder of the built copy; the first draw only warms the process.
    `english`: each chart also in English alone (`--language en`, where the tree has it; a
    tree without it draws English only), the files a tree before the Korean edition drew."""
    run = [".venv/bin/python", "-m", "analysis.runner", "analysis.charts"]
    names = chart_names(root)
    bilingual = "--language" in (root / "analysis/charts.py").read_text(encoding="utf-8")
    (root / "build/bench-charts").mkdir()
    timed([*run, names[0], "--out", "build/bench-charts"], root)  # start the warm process
    best: dict[str, float] = {}
    for _ in range(runs):
        for name in names:
            out = [name, "--out", "build/bench-charts"]
            sec, _ = timed([*run, *out], root)
            best[name] = min(best.get(name, sec), sec)
            if english:
                sec = timed([*run, *out, "--language", "en"], root)[0] if bilingual else sec
                best[f"{name}, English"] = min(best.get(f"{name}, English", sec), sec)
    shutil.rmtree(root / "build/bench-charts")
    rows = [(f"chart {name}", s, s / floor, "its files, data, text") for name, s in best.items()]
    total = sum(best[name] for name in names)
    rows.append(("all charts, one at a time", total, total / floor, f"{len(names)} charts"))
    if english:
        total = sum(best[f"{name}, English"] for name in names)
        rows.append(("all charts, English", total, total / floor, f"{len(names)} charts"))
    return rows


def builds(root: Path, floor: float) -> tuple[list[Row], list[str]]:
    cold, out = timed(["make", "report"], root)
    cold_steps = steps(out)
    noop, out = timed(["make", "report"], root)
    assert not steps(out), "a no-op build ran a step"
    per_chart = chart_times(root, floor)
    time.sleep(runner.IDLE_SECONDS + 1)  # let the warm process exit: edits come later
    raw = root / "data/raw/arrivals.csv"
    raw.write_text(raw.read_text() + "2019,year,total,1048,rfa-2020-07-29\n")
    edit, out = timed(["make", "report"], root)
    edit_steps = steps(out)
    rows = [
        ("cold make report", cold, cold / floor, f"{len(cold_steps)} steps; goal <= 1.5 F"),
        ("no-op make report", noop, noop / floor, "goal <= 0.3 s"),
        ("edit one raw figure", edit, edit / floor, f"{len(edit_steps)} steps; goal <= 1.2 F"),
    ]
    return rows + per_chart, edit_steps


def parameter_sets(root: Path, floor: float) -> list[Row]:
    """Add N new parameter sets to a built project and time the `make report` that builds them.

    Each run starts with the warm process gone, as when a user adds sets and runs make; the
    cost of one more set is the slope between runs.
    """
    templates = ("arrivals", "border", "brief")
    rows: list[Row] = []
    first = float("nan")
    for count in SET_COUNTS:
        for i in range(count):
            # vary the model so no two sets are the same report, and none has the default
            # model (pre-period from 2012), whose report copies the build's charts
            (root / f"reports/params/bench-{count}-{i}.yaml").write_text(
                f"template: {templates[i % 3]}\ntitle: bench set {i}\n"
                f"pre_start_year: {2006 + i % 6}\nintervention_year: {2019 + i % 2}\n"
            )
        time.sleep(runner.IDLE_SECONDS + 1)
        sec, out = timed(["make", "report"], root)
        ran = [s for s in steps(out) if "report build" in s]
        assert len(ran) == count, f"expected {count} report builds, got {ran}"
        if count == 1:
            first = sec
            note = "one report, with the warm process's start"
        else:
            note = f"{(sec - first) / (count - 1):.2f} s for each set beyond the first"
        label = f"{count} new parameter set{'s' if count > 1 else ''}"
        rows.append((label, sec, sec / floor, note))
    return rows


def setup(tmp: Path, floor: float) -> list[Row]:
    """A fresh clone's set-up against a bare install of the same locked packages."""
    clone = tmp / "clone"
    clone.mkdir()
    copy_project(clone, share_env=False)
    fresh, err = timed(["make", ".venv/.synced"], clone, fail=False)
    uv = str(paths.ROOT / ".tools/bin/uv")
    bare = tmp / "bare"
    bare.mkdir()
    req = bare / "requirements.txt"
    timed(
        [uv, "export", "--locked", "--no-emit-project", "--no-hashes", "-q", "-o", str(req)],
        paths.ROOT,
    )
    venv, _ = timed([uv, "venv", "-q", "--python", "python3", str(bare / ".venv")], bare)
    sync, err2 = timed(
        [uv, "pip", "sync", "-q", "--python", str(bare / ".venv/bin/python"), str(req)],
        bare,
        fail=False,
    )
    if math.isnan(fresh) or math.isnan(sync):  # no package index and no cache
        why = (err or err2).strip().splitlines()[-1:] or ["unknown"]
        return [("fresh-clone set-up", float("nan"), float("nan"), f"not measured: {why[0]}")]
    bare_sec = venv + sync
    return [
        ("bare install (uv)", bare_sec, bare_sec / floor, "uv venv + uv pip sync, same lock"),
        ("fresh-clone set-up", fresh, fresh / floor, f"{fresh / bare_sec:.2f} x the bare install"),
    ]


def export_tree(rev: str, dest: Path) -> None:
    """The tracked files of commit `rev` (a tree of the past, with its own locked environment
    installed beside it, so nothing it runs touches this checkout's .venv)."""
    dest.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", rev], cwd=paths.ROOT, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    (dest / ".tools").symlink_to(paths.ROOT / ".tools")  # the same uv; the packages its lock's
    timed(["make", ".venv/.synced"], dest)
    if os.environ.get("UV_COMPILE_BYTECODE") == "1":
        # bytecode for the whole tree, as this tree's warm process writes its own: with
        # UV_COMPILE_BYTECODE=1 set for the bench, the trees differ in their code alone
        timed([str(dest / ".venv/bin/python"), "-m", "compileall", "-q", "analysis"], dest)


# a cold build's steps, grouped by what they make: (group, the step's first words)
STEP_GROUPS = (
    ("charts", "analysis.charts"),
    ("reports", "analysis.report build"),
    ("PDFs", "analysis.report pdf"),
    ("the rest", "analysis."),  # data, models, templates, gallery, contact sheet
)


def write_step_timer(folder: Path, log: Path) -> Path:
    """A wrapper for the Makefile's RUN (both trees run every step through it) that logs each
    step's wall time: make then says what the build's time was spent on."""
    script = folder / f"step-timer-{log.parent.name}.sh"
    script.write_text(
        # bash 5's clock; a comma locale writes a decimal comma
        '[ -n "${EPOCHREALTIME:-}" ] || '
        "{ echo 'bench: the step timer needs bash 5 (EPOCHREALTIME)' >&2; exit 2; }\n"
        's=${EPOCHREALTIME/,/.}; "$@"; rc=$?\n'
        f'echo "$s ${{EPOCHREALTIME/,/.}} ${{*:4}}" >> {shlex.quote(str(log))}\n'
        "exit $rc\n"
    )
    return script


def step_time(log: Path) -> dict[str, float]:
    """Seconds of step time (summed over steps, whichever ran beside which) by group."""
    total: dict[str, float] = {}
    for line in log.read_text().splitlines():
        start, end, step = line.split(" ", 2)
        group = next(g for g, prefix in STEP_GROUPS if step.startswith(prefix))
        total[group] = total.get(group, 0.0) + float(end) - float(start)
    return total


def compare(revs: list[str], rounds: int) -> None:
    """Issue 14's before and after, measured together: for each tree (a commit, or "." for
    the working tree as committed plus its edits), the import floor with its environment, the
    cold `make report` in a fresh copy and each chart's time, the trees taken in turn, round
    after round, so that both see the same load; the fastest of the rounds counts."""
    with tempfile.TemporaryDirectory() as tmp:
        trees: dict[str, Path] = {}
        for rev in revs:
            src = Path(tmp) / f"src-{len(trees)}"
            if rev == ".":
                src.mkdir()
                copy_project(src)
            else:
                export_tree(rev, src)
            trees[rev] = src
        best: dict[tuple[str, str], float] = {}

        def keep(rev: str, what: str, sec: float) -> None:
            best[rev, what] = min(best.get((rev, what), sec), sec)
            print(f"  {rev} {what}: {sec:.2f} s", file=sys.stderr, flush=True)  # as it goes

        for r in range(rounds):
            for rev, src in trees.items():
                python = str(src / ".venv/bin/python")
                keep(rev, "floor", timed([python, "-c", FLOOR_IMPORTS], src)[0])
                root = Path(tmp) / f"build-{r}-{list(trees).index(rev)}"
                # a fresh copy, sharing the tree's environment
                shutil.copytree(src, root, symlinks=True, ignore=shutil.ignore_patterns(".venv"))
                (root / ".venv").symlink_to((src / ".venv").resolve())
                log = root / "build-steps.log"
                timer = shlex.quote(str(write_step_timer(Path(tmp), log)))
                run = f"bash {timer} .venv/bin/python -m analysis.runner"
                keep(rev, "cold", timed(["make", "report", f"RUN={run}"], root)[0])
                for group, sec in step_time(log).items():
                    keep(rev, f"cold, step time: {group}", sec)
                for name, sec, *_ in chart_times(root, 1.0, runs=1, english=True):
                    keep(rev, name, sec)
                shutil.rmtree(root)
    names = sorted({what for _, what in best if what not in ("floor", "cold")})
    names.sort(key=lambda what: not what.startswith("cold"))  # the cold build's rows first
    print(f"{'measure':<36}" + "".join(f"{rev[:12]:>22}" for rev in revs))
    for what in ["floor", "cold", *names]:
        cells = []
        for rev in revs:
            sec, floor = best.get((rev, what), math.nan), best[rev, "floor"]
            cells.append(
                f"{sec:>9.2f} s {sec / floor:>6.2f} F"
                if what != "floor"
                else f"{sec:>9.2f} s {'':>8}"
            )
        print(f"{what:<36}" + "".join(f"{c:>22}" for c in cells))
    print(f"(the fastest of {rounds} rounds; F: that tree's import floor, {FLOOR_IMPORTS!r};")
    print(" step time: the cold build's steps of a group, summed; two run at once on two cores)")


def main() -> None:
    if sys.argv[1:2] == ["--compare"]:  # python -m analysis.bench --compare REV [REV ...]
        rounds = int(os.environ.get("NKB_BENCH_ROUNDS", "2"))
        compare(sys.argv[2:] or ["."], rounds)
        return
    python = str(paths.ROOT / ".venv/bin/python")
    floor = min(timed([python, "-c", FLOOR_IMPORTS], paths.ROOT)[0] for _ in range(2))
    rows: list[Row] = [("import floor F", floor, 1.0, "")]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "built"
        root.mkdir()
        copy_project(root)
        build_rows, edit_steps = builds(root, floor)
        rows += build_rows + parameter_sets(root, floor)
        rows += setup(Path(tmp), floor)
    print(f"{'measure':<26}{'seconds':>9}{'x F':>7}  note")
    for name, sec, ratio, note in rows:
        print(f"{name:<26}{sec:>9.2f}{ratio:>7.2f}  {note}")
    print(f"\nthe edit re-ran {len(edit_steps)} steps:")
    for step in edit_steps:
        print(f"  {step}")


if __name__ == "__main__":
    main()
