"""Parameter files are confined: a shipped template by name, a set name that is a slug no other
output uses, and YAML that is small, plain, unique-keyed UTF-8; every refusal is one short line."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import paths, report
from analysis.io import InputError


@pytest.fixture(autouse=True)
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(paths.ROOT)  # the shipped sets and templates are found from here


def refusal(call, *args) -> str:
    with pytest.raises(InputError) as info:
        call(*args)
    message = str(info.value)
    assert "\n" not in message and message.startswith("error: "), message
    assert len(message.replace(str(args[0]), "PATH")) < 250, message  # the path aside, short
    return message


def params_file(tmp_path: Path, text: str | bytes, name: str = "mine.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


@pytest.mark.parametrize(
    "template", ["/tmp/evil", "../../analysis/x", "../templates/brief", "brief.py", "nope", ""]
)
def test_template_must_be_a_shipped_template_by_name(tmp_path: Path, template: str) -> None:
    path = params_file(tmp_path, f"template: {template!r}\n")
    message = refusal(report.load_params, path)
    assert "not a shipped template" in message and "arrivals, border, brief" in message


def test_a_shipped_template_is_accepted(tmp_path: Path) -> None:
    assert report.load_params(params_file(tmp_path, "template: brief\n"))["template"] == "brief"


def test_template_path_never_leaves_the_templates_folder() -> None:
    assert report.template_path("brief") == paths.TEMPLATES / "brief.py"
    for name in ("/etc/passwd", "../../analysis/report", "brief/../arrivals"):
        refusal(report.template_path, name)


@pytest.mark.parametrize(
    "file_name",
    ["...yaml", "..yaml", ".yaml", "a b.yaml", "Mine.yaml", "-x.yaml", "x" * 65 + ".yaml"],
)
def test_set_name_must_be_a_slug(tmp_path: Path, file_name: str) -> None:
    assert "cannot name a report" in refusal(report.set_name, tmp_path / file_name)


@pytest.mark.parametrize(
    "name", ["gallery", "contact-sheet", "figures", "notebooks", "params", "templates"]
)
def test_set_name_cannot_be_another_output(tmp_path: Path, name: str) -> None:
    assert "taken by another output" in refusal(report.set_name, tmp_path / f"{name}.yaml")


def test_custom_set_cannot_take_a_shipped_sets_name(tmp_path: Path) -> None:
    for shipped in paths.PARAMS.glob("*.yaml"):
        message = refusal(report.set_name, params_file(tmp_path, "template: brief\n", shipped.name))
        assert "shipped parameter set" in message and f"my-{shipped.stem}.yaml" in message


def test_shipped_set_and_a_fresh_name_are_accepted(tmp_path: Path) -> None:
    assert report.set_name(paths.PARAMS / "arrivals-onelevel.yaml") == "arrivals-onelevel"
    assert report.set_name(tmp_path / "my-brief-2.yaml") == "my-brief-2"
    assert report.set_name(tmp_path / "x.yml") == "x"


def test_aliases_are_refused_before_they_expand(tmp_path: Path) -> None:
    laughs = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"] + [
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]"
        for i in range(8)
    ]
    path = params_file(tmp_path, "template: brief\n" + "\n".join(laughs) + "\n")
    message = refusal(report.load_params, path)
    assert "line 2" in message and "anchors and aliases" in message


def test_merge_keys_need_aliases_and_are_refused(tmp_path: Path) -> None:
    path = params_file(tmp_path, "base: &b {title: x}\nset:\n  <<: *b\ntemplate: brief\n")
    assert "anchors and aliases" in refusal(report.load_params, path)


def test_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = params_file(tmp_path, "template: brief\ntitle: " + "x" * 64 * 1024)
    assert "larger than 64 KB" in refusal(report.load_params, path)


def test_duplicate_keys_are_refused_with_both_lines(tmp_path: Path) -> None:
    path = params_file(tmp_path, "template: brief\ntitle: a\n# note\ntitle: b\n")
    message = refusal(report.load_params, path)
    assert "line 4" in message and "'title' is given twice (first on line 2)" in message


def test_non_utf8_is_refused_with_its_line(tmp_path: Path) -> None:
    path = params_file(tmp_path, "template: brief\ntitle: caf\xe9\n".encode("latin-1"))
    message = refusal(report.load_params, path)
    assert "line 2" in message and "not UTF-8" in message and "0xE9" in message


def test_utf8_with_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = params_file(tmp_path, "\ufefftemplate: brief\ntitle: 북한\n".encode())
    assert report.load_params(path)["title"] == "북한"


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    path = params_file(tmp_path, "template: brief\ntitle: " + "[" * 5000 + "]" * 5000 + "\n")
    assert "nested too deeply" in refusal(report.load_params, path)


def test_broken_yaml_is_one_short_line(tmp_path: Path) -> None:
    path = params_file(tmp_path, "template: brief\ntitle: 'x" + "y" * 5000 + "\n: : :\n")
    assert "not valid YAML" in refusal(report.load_params, path)


def test_values_in_messages_are_cut_to_80_characters(tmp_path: Path) -> None:
    long = "z" * 1000  # YAML's longest plain key
    path = params_file(tmp_path, f"template: brief\n{long}: 1\nconfidence_level: {long}\n")
    with pytest.raises(InputError) as info:
        report.check_params(path, report.load_params(path))
    lines = str(info.value).replace(str(path), "PATH").splitlines()
    assert len(lines) == 2 and all(len(line) < 300 for line in lines), lines
    assert all("z" * 79 not in line and "\u2026" in line for line in lines)


def test_overlong_text_parameter_is_refused(tmp_path: Path) -> None:
    path = params_file(tmp_path, "template: brief\ntitle: " + "t" * 201 + "\n")
    message = refusal(report.check_params, path, report.load_params(path))
    assert "title: 201 characters; at most 200" in message


@pytest.mark.parametrize(
    ("values", "key"),
    [({"language": "fr"}, "language"), ({"language": "ko", "term": "탈북자"}, "term")],
)
def test_language_and_term_must_be_known(values: dict, key: str) -> None:
    message = refusal(report.report_text, Path("reports/params/mine.yaml"), values)
    assert f"mine.yaml: parameter {key}:" in message and "write `" in message


def test_language_and_term_default_to_english_and_the_legal_term() -> None:
    text = report.report_text(Path("x.yaml"), {})
    assert (text.language, text.term) == ("en", "북한이탈주민")
    assert report.report_text(Path("x.yaml"), {"language": "ko", "term": "탈북민"}).term == "탈북민"
