"""Stage 5: a parameterized report -> executed notebook and self-contained HTML.

    python -m analysis.report template NAME   # templates/NAME.py -> build/templates/NAME.ipynb
    python -m analysis.report build SET.yaml  # -> reports/SET.html, reports/notebooks/SET.ipynb
                                              #    (in the stage, build/stage/; see analysis.paths)
    python -m analysis.report pdf IN.html OUT.pdf  # print with headless Chromium

`build` checks the YAML against the template's parameters cell and the model's rules before any
kernel starts, fits the models for those parameters, draws the charts the template declares in
`CHARTS` (in the size `CHART_SIZE`, "web" unless the template says otherwise, and in the
phone size, which the page shows in a narrow column), runs the notebook with papermill and
exports HTML with no scripts and no code. Nothing is written unless every cell succeeds.
"""

from __future__ import annotations

import argparse
import ast
import base64
import contextlib
import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from analysis import fonts, paths, publish
from analysis.io import InputError, atomic_open, atomic_path, run_step, up_to_date

MODEL_KEYS = (
    "intervention_year",
    "reopening_year",
    "pre_start_year",
    "end_year",
    "family",
    "confidence_level",
    "scan_start_year",
    "test_year",
)
BUILD_KEYS = ("results_dir", "figures_dir")  # set by the build, not by users
TYPES = {"int": int, "float": (int, float), "str": str, "bool": bool}

# A parameter set's name becomes reports/NAME.html, reports/notebooks/NAME.ipynb and the folder
# reports/notebooks/NAME/ that the build empties: a slug, so it can never be a path.
SET_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
RESERVED_NAMES = (  # other outputs
    "gallery",
    "gallery-ko",
    "contact-sheet",
    "figures",
    "notebooks",
    "params",
    "templates",
)
MAX_PARAMS_BYTES = 64 * 1024
MAX_TEXT_CHARS = 200  # longest string parameter (a title is far shorter)
MAX_NESTING = 8  # parameters are scalars; deeper YAML is not a parameter file
SHOWN_CHARS = 80  # longest value quoted in a message


def quoted(value: Any) -> str:
    """A value as quoted in a message: its repr, cut to SHOWN_CHARS characters."""
    text = repr(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "\u2026"


def shipped_templates() -> list[str]:
    return sorted(p.stem for p in paths.TEMPLATES.glob("*.py") if SET_NAME.fullmatch(p.stem))


def template_path(name: str) -> Path:
    """reports/templates/NAME.py for a template name; never a path from a parameter."""
    known = shipped_templates()
    if name not in known:
        raise InputError(
            f"error: report template {quoted(name)} is not one of the templates in "
            f"{paths.TEMPLATES}: {', '.join(known)}"
        )
    return paths.TEMPLATES / f"{name}.py"


def template_notebook(name: str):
    """The template as a notebook, with stable cell ids (they end up in the HTML)."""
    import jupytext

    nb = jupytext.read(template_path(name))
    nb.metadata.pop("jupytext", None)
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i:02d}"
    return nb


def declared(nb, name: str, default: Any = None) -> Any:
    """A constant a template assigns at top level (e.g. CHARTS, the charts it shows)."""
    for cell in nb.cells:
        if cell.cell_type != "code" or name not in cell.source:
            continue
        try:
            body = ast.parse(cell.source).body
        except SyntaxError:  # IPython syntax such as %magics: not where constants live
            continue
        for node in body:
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets
            ):
                return ast.literal_eval(node.value)
    return default


def write_template(name: str) -> None:
    import nbformat

    with atomic_open(paths.BUILD / "templates" / f"{name}.ipynb") as fh:
        nbformat.write(template_notebook(name), fh)


def set_name(path: Path) -> str:
    """The name of the parameter set in `path`, refused unless it is a slug that no other output
    uses and, for a file outside reports/params, no shipped set uses either."""
    name = path.stem if path.suffix in (".yaml", ".yml") else path.name
    if not SET_NAME.fullmatch(name):
        raise InputError(
            f"error: {path}: this file name cannot name a report; use lower-case letters, "
            "digits and hyphens (at most 64) before .yaml, e.g. my-report.yaml"
        )
    if name in RESERVED_NAMES:
        raise InputError(
            f"error: {path}: '{name}' is taken by another output "
            f"({paths.published(paths.REPORTS / name)}); "
            f"rename the file, e.g. my-{name}.yaml"
        )
    shipped = paths.PARAMS / f"{name}.yaml"
    if shipped.exists() and not (path.exists() and os.path.samefile(path, shipped)):
        raise InputError(
            f"error: {path}: '{name}' is the name of a shipped parameter set ({shipped}) and its "
            f"report would be overwritten; rename your file, e.g. my-{name}.yaml"
        )
    return name


def _strict_loader():
    """PyYAML's safe loader, refusing anchors and aliases (no billion laughs), duplicate keys
    and deep nesting, each with the line it was found on."""
    import yaml

    class Refused(yaml.MarkedYAMLError):
        pass

    class StrictLoader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent, index):
            event = self.peek_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise Refused(
                    problem="anchors and aliases (& and *) are not accepted; write each value out",
                    problem_mark=event.start_mark,
                )
            if self.depth >= MAX_NESTING:
                raise Refused(problem="nested too deeply", problem_mark=event.start_mark)
            self.depth += 1
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

        def construct_mapping(self, node, deep=False):
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                line = key_node.start_mark.line + 1
                if isinstance(key, str | int | float | bool) and key in seen:
                    raise Refused(
                        problem=f"key {quoted(key)} is given twice (first on line {seen[key]}); "
                        "keep one",
                        problem_mark=key_node.start_mark,
                    )
                seen.setdefault(key, line)
            return super().construct_mapping(node, deep)

    return StrictLoader, Refused


def load_params(path: Path) -> dict[str, Any]:
    """A parameter file: at most 64 KB of UTF-8 YAML, one mapping with a shipped `template`."""
    import yaml

    if not path.is_file():
        raise InputError(f"error: parameter file {path} not found")
    with open(path, "rb") as fh:
        data = fh.read(MAX_PARAMS_BYTES + 1)
    if len(data) > MAX_PARAMS_BYTES:
        raise InputError(
            f"error: {path}: larger than {MAX_PARAMS_BYTES // 1024} KB; a parameter file holds "
            "a few settings"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"error: {path}, line {line}: not UTF-8 text (byte 0x{data[exc.start]:02X}); "
            "save the file as UTF-8"
        ) from None
    loader, refused = _strict_loader()
    try:
        params = yaml.load(text, Loader=loader)  # noqa: S506 (a safe loader, stricter still)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or exc.__class__.__name__
        what = problem if isinstance(exc, refused) else f"not valid YAML ({problem[:SHOWN_CHARS]})"
        raise InputError(f"error: {path}{line}: {what}") from None
    if not isinstance(params, dict) or not isinstance(params.get("template"), str):
        raise InputError(
            f"error: {path}: expected a mapping with a 'template' key, e.g. template: arrivals"
        )
    if params["template"] not in shipped_templates():
        raise InputError(
            f"error: {path}: parameter template: {quoted(params['template'])} is not a shipped "
            f"template; use one of {', '.join(shipped_templates())}"
        )
    return params


def check_params(path: Path, params: dict[str, Any]) -> dict[str, Any]:
    """Compare the YAML with the template's parameters cell; return the values to inject."""
    import papermill

    template = params["template"]
    nb_path = paths.BUILD / "templates" / f"{template}.ipynb"
    if not nb_path.exists():
        template_notebook(template)  # raises a clear error for an unknown template
        write_template(template)
    declared = papermill.inspect_notebook(str(nb_path))
    problems = []
    values = {k: v for k, v in params.items() if k != "template"}
    for key, value in values.items():
        if key not in declared or key in BUILD_KEYS:
            allowed = ", ".join(k for k in declared if k not in BUILD_KEYS)
            problems.append(
                f"{quoted(key)}: not a parameter of template '{template}'; allowed: {allowed}"
            )
            continue
        kind = declared[key]["inferred_type_name"]
        ok = isinstance(value, TYPES.get(kind, object)) and not (
            kind != "bool" and isinstance(value, bool)
        )
        if not ok:
            problems.append(
                f"{key}: {quoted(value)} is not of type {kind} "
                f"({declared[key]['help'] or 'see the template'})"
            )
        elif isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
            problems.append(f"{key}: {len(value):,} characters; at most {MAX_TEXT_CHARS}")
    if problems:
        raise InputError("\n".join(f"error: {path}: parameter {p}" for p in problems))
    return values


def report_text(params_path: Path, values: dict[str, Any]):
    """The language and term a parameter set asks for (analysis.i18n), refused with the file,
    the key and a value to write when they are not ones the catalogue knows."""
    from analysis import i18n

    language = values.get("language", "en")
    term = values.get("term", i18n.DEFAULT_TERM)
    problems = []
    if language not in i18n.LANGUAGES:
        problems.append(
            f"language: {quoted(language)} is not one of {', '.join(i18n.LANGUAGES)}; "
            "write `language: en` or `language: ko`"
        )
    if term not in i18n.TERMS:
        problems.append(
            f"term: {quoted(term)} is not one of {', '.join(i18n.TERMS)}; write "
            f"`term: {i18n.DEFAULT_TERM}` (the legal term) or another of those"
        )
    if problems:
        raise InputError("\n".join(f"error: {params_path}: parameter {p}" for p in problems))
    return i18n.Text(language, term)


def model_params(values: dict[str, Any]):
    from analysis.models import ModelParams

    chosen = {k: values[k] for k in MODEL_KEYS if k in values}
    for key in ("end_year", "test_year"):  # templates use 0 for "let the data decide"
        if chosen.get(key) == 0:
            chosen[key] = None
    return dataclasses.replace(ModelParams(), **chosen)


def model_problems(params_path: Path, values: dict[str, Any], mp: Any, years: Any) -> None:
    """Refuse settings the data cannot support, naming the YAML file, the key, whether the
    value was the user's or the template's default, and a value to write instead."""
    from analysis import models

    problems = models.param_problems(mp, years)
    if problems:
        raise InputError(
            "\n".join(
                f"error: {params_path}: parameter {q.key}: {quoted(q.value)} "
                f"({'set in this file' if q.key in values else 'default: not set in this file'})"
                f" {q.why}; write `{q.key}: {q.suggestion}` in {params_path}"
                for q in problems
            )
        )


OUTPUT_TAB_STOP = re.compile(
    r'(<div class="[^"]*\b(?:jp-OutputArea-output|jp-Cell-inputWrapper)\b[^"]*"[^>]*?) tabindex="0"'
)


def export_html(nb, title: str, language: str = "en") -> str:
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        language_code=language,  # <html lang="...">: fonts, hyphenation and screen readers
        template_name="html_offline",
        extra_template_basedirs=[str(paths.TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={"parameters", "injected-parameters"}),
        enabled=True,
    )
    html, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    # nbconvert makes every output a tab stop (for outputs that scroll); a report's outputs are
    # prose, charts and tables, and the keyboard should reach only what it can use: the chart
    # marks and the tables' scroll boxes
    return OUTPUT_TAB_STOP.sub(r"\1", html)


def clean(nb) -> None:
    """Drop what changes from run to run: papermill's timings, execution stamps, random ids."""
    nb.metadata.pop("papermill", None)
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i:02d}"
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)


KERNEL = "nkb-warm"


def warm_kernel() -> str:
    """A kernelspec whose kernel is forked from the warm step server (analysis.runner).

    A cold kernel costs seconds of imports per report; a forked one starts in a fraction of a
    second. The spec lives under build/ (it names this machine's interpreter) and is found through
    JUPYTER_PATH; the executed notebooks keep the template's plain python3 kernelspec.
    """
    spec = {
        "argv": [sys.executable, "-m", "analysis.runner", "ipykernel_launcher"]
        # its parent is the step server, not Jupyter: no parent polling (the runner stops the
        # kernel when Jupyter's launcher process goes away)
        + ["--IPKernelApp.parent_handle=1", "-f", "{connection_file}"],
        "display_name": "Python 3 (forked from the build's warm process)",
        "language": "python",
        "metadata": {"supported_encryption": ["curve"]},
    }
    spec_dir = paths.BUILD / "jupyter"
    target = spec_dir / "kernels" / KERNEL / "kernel.json"
    text = json.dumps(spec, indent=1)
    if not target.exists() or target.read_text() != text:
        with atomic_open(target) as fh:
            fh.write(text)
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [str(spec_dir.resolve()), *filter(None, [os.environ.get("JUPYTER_PATH")])]
    )
    return KERNEL


def chart_sizes(size: str) -> tuple[str, ...]:
    """The sizes a report draws its charts in: the template's and the phone layout, which the
    page shows in a narrow column (a phone) instead of shrinking the other, and on screen
    instead of a print size (see embed.layouts)."""
    return tuple(dict.fromkeys((size, "phone")))


def screen_sizes(sizes: tuple[str, ...]) -> tuple[str, ...]:
    """Those of `sizes` shown on screen: their SVGs carry the values on hover and focus."""
    from analysis.charts import SIZES

    return tuple(s for s in sizes if SIZES[s].screen)


def stock_results() -> list[str]:
    """The files the model step writes with the default parameters (see analysis.models)."""
    from analysis.datapackage import TABLES

    return [f"{t}.csv" for t in TABLES if t.startswith("model_")] + ["headline.json"]


def stock_results_current() -> bool:
    """The model step's results exist and are newer than the tables and the code they come
    from (as make would see it), so a report built outside make never copies stale ones."""
    from analysis import models

    inputs = [paths.processed(t) for t in models.INPUT_TABLES.values()]
    inputs += Path(models.__file__).parent.glob("*.py")
    return up_to_date([paths.PROCESSED / name for name in stock_results()], inputs)


def build(params_path: Path) -> None:
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from analysis import charts, i18n, models
    from analysis.raw import sources

    name = set_name(params_path)
    params = load_params(params_path)
    values = check_params(params_path, params)
    if not (paths.PARAMS / f"{name}.yaml").exists():
        publish.remember_custom(name)
    text = report_text(params_path, values)
    data = models.inputs()
    mp = model_params(values)
    model_problems(
        params_path, values, mp, data["annual"].dropna(subset=["arrivals_count"])["year"]
    )

    # Results for these parameters and the charts this template shows, beside its notebook.
    nb = template_notebook(params["template"])
    shown = declared(nb, "CHARTS", [])
    unknown = sorted(set(shown) - set(charts.CHARTS))
    if unknown:
        raise InputError(f"error: template {params['template']}: unknown charts {unknown}")
    size = declared(nb, "CHART_SIZE", "web")
    work = paths.NOTEBOOKS / name  # the one folder this set owns (name is a slug)
    shutil.rmtree(work, ignore_errors=True)  # no chart left over from an earlier template
    if mp == models.ModelParams() and stock_results_current():
        # the model step has written these results already: the same code on the same tables
        work.mkdir(parents=True, exist_ok=True)
        for result in stock_results():
            with atomic_open(work / result, "wb") as fh:
                fh.write((paths.PROCESSED / result).read_bytes())
    else:
        models.write(models.run(mp, **data), work)
    src = sources()
    sizes = chart_sizes(size)
    # with the build's own model and term, the chart step has drawn these charts already
    stock = mp == models.ModelParams() and text.term == i18n.DEFAULT_TERM
    for chart in shown:
        drawn = charts.build(chart, paths.PROCESSED, work, src, text)
        # inlined into the report: hover and focus values in the sizes shown on screen
        charts.render(
            drawn,
            chart,
            src,
            work,
            sizes=sizes,
            formats=("svg",),
            interactive=screen_sizes(sizes),
            file_stem=chart,  # the report's own folder: plain names in any language
            drawn_in=paths.FIGURES if stock else None,
        )
    # the published folder: the notebook names no stage path (narrate reads its stage twin)
    values.update(results_dir=str(paths.published(work)), figures_dir=str(paths.published(work)))

    os.environ["JUPYTER_PREFER_ENV_PATH"] = "1"
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    from traitlets.config import Config

    config = Config()
    config.KernelManager.transport_encryption = "auto"  # ipykernel 7 warns on plain TCP
    try:
        done = papermill.execute_notebook(
            nb,
            None,
            parameters=values,
            kernel_name=warm_kernel(),
            progress_bar=False,
            cwd=str(Path.cwd()),
            log_output=False,
            config=config,
        )
    except PapermillExecutionError as exc:
        raise InputError(
            f"error: report {name} ({params_path}): cell {exc.cell_index} failed: "
            f"{exc.ename}: {exc.evalue}"
        ) from None
    done.metadata.kernelspec = nb.metadata.kernelspec  # what an auditor re-runs it with
    clean(done)
    html = export_html(done, str(values.get("title", name)), text.language)
    with atomic_open(paths.NOTEBOOKS / f"{name}.ipynb") as fh:
        nbformat.write(done, fh)
    with atomic_open(paths.REPORTS / f"{name}.html") as fh:
        fh.write(html)


CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
FIXED_PDF_DATE = b"D:20000101000000+00'00'"  # same length as Chromium's, so offsets hold
PDF_TIMEOUT_S = 90


def chromium() -> str | None:
    return (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )


class DevTools:
    """The DevTools protocol over --remote-debugging-pipe: JSON messages ended by NUL bytes,
    written to the browser's fd 3 and read from its fd 4 (no port, no extra package)."""

    def __init__(self, proc: subprocess.Popen, deadline: float) -> None:
        self.proc, self.deadline, self.buffer, self.last_id = proc, deadline, b"", 0

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self.last_id += 1
        message = {"id": self.last_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self.proc.stdin.write(json.dumps(message).encode() + b"\0")
        self.proc.stdin.flush()
        reply = self.wait(lambda m: m.get("id") == self.last_id)
        if "error" in reply:
            raise OSError(f"{method}: {reply['error'].get('message', reply['error'])}")
        return reply.get("result", {})

    def wait(self, match: Any) -> dict[str, Any]:
        """The next message `match` accepts (others are events this printer does not need)."""
        import select

        fd = self.proc.stdout.fileno()
        while True:
            while b"\0" in self.buffer:
                raw, self.buffer = self.buffer.split(b"\0", 1)
                message = json.loads(raw)
                if match(message):
                    return message
            left = self.deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError(f"no answer from chromium within {PDF_TIMEOUT_S} s")
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                raise OSError("chromium closed the DevTools pipe")
            self.buffer += chunk


def pdf(html_path: Path, out: Path) -> None:
    """Print a report to PDF with headless Chromium, offline and with JavaScript disabled (a
    script in the page can neither change what is printed nor open a dialog that blocks the
    print), with fixed document dates.

    Chromium's --print-to-pdf prints nothing when scripts are disabled by flag, so the page is
    loaded and printed through the DevTools protocol, which disables them for that page.
    """
    binary = chromium()
    if binary is None:
        raise InputError(
            "error: chromium not found; install it (apt-get install chromium) to print "
            f"{html_path} to PDF"
        )
    with tempfile.TemporaryDirectory() as profile, atomic_path(out) as tmp:
        # the pipe must be the browser's fds 3 and 4: the shell moves stdin/stdout there
        argv = [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe"]
        shell = 'exec "$@" 3<&0 4>&1 </dev/null >/dev/null'
        # the project's fonts only (analysis.fonts): Korean prints, the same on every machine
        conf = fonts.fontconfig_file(paths.BUILD / "fonts").resolve()
        env = os.environ | {"FONTCONFIG_FILE": str(conf)}
        proc = subprocess.Popen(
            ["sh", "-c", shell, "sh", *argv],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        try:
            tools = DevTools(proc, time.monotonic() + PDF_TIMEOUT_S)
            target = tools.call("Target.createTarget", url="about:blank")["targetId"]
            page = tools.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
            tools.call("Emulation.setScriptExecutionDisabled", page, value=True)
            tools.call("Page.enable", page)
            tools.call("Page.navigate", page, url=html_path.resolve().as_uri())
            tools.wait(
                lambda m: m.get("method") == "Page.loadEventFired" and m.get("sessionId") == page
            )
            printed = tools.call("Page.printToPDF", page, preferCSSPageSize=True)
            tmp.write_bytes(base64.b64decode(printed["data"]))
            with contextlib.suppress(OSError):
                tools.call("Browser.close")
            proc.wait(timeout=10)
        except (OSError, TimeoutError, subprocess.TimeoutExpired, KeyError, ValueError) as exc:
            raise InputError(f"error: chromium could not print {html_path}: {exc}") from None
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        data = re.sub(rb"D:\d{14}[^)]*", FIXED_PDF_DATE, tmp.read_bytes())
        tmp.write_bytes(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("template").add_argument("name")
    sub.add_parser("build").add_argument("params", type=Path)
    printing = sub.add_parser("pdf")
    printing.add_argument("html", type=Path)
    printing.add_argument("out", type=Path)
    args = parser.parse_args()
    if args.command == "template":
        write_template(args.name)
    elif args.command == "pdf":
        pdf(args.html, args.out)
    else:
        build(args.params)


if __name__ == "__main__":
    run_step(main)
