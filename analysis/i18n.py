"""Languages: one catalogue of every user-facing string, and numbers and dates per locale.

A string shown to readers is written in English in the code, wrapped in `_()`:

    text = i18n.Text("ko")
    _ = text.gettext
    _("{count} arrivals in {year}", count=text.number(1047), year=text.year(2019))
    # en: "1,047 arrivals in 2019"   ko: "2019년 1,047명 입국"

Its Korean translation lives in a gettext catalogue, analysis/locale/ko/LC_MESSAGES/messages.po,
the file translators' tools (Poedit, Weblate, Lokalize) edit. Babel reads that .po directly at
run time (a few milliseconds), so no compiled .mo is committed or built and none can go stale.
`python -m analysis.i18n update` extracts every `_()`/`N_()` string from analysis/ and
reports/templates/ with Babel and merges them into the catalogue (new ones untranslated, unused
ones dropped); tests/unit/test_i18n.py fails while any string lacks a translation or a
translation drops or invents a placeholder. Error messages stay English.

Numbers and dates are formatted by Babel with the locale's data (CLDR): 1,047; 2019년;
2026년 2월 4일 / 4 February 2026; 37%. House style adds two things CLDR leaves to
typographers: the minus sign U+2212 and ranges as Korean newspapers print them (2,431~5,482,
2020~2024년) or with an en dash in English (2,431–5,482, 2020–2024).

The term for the people this is about is a parameter (see TERMS): the legal term is the
default, and every Korean string says `{term}` where it names them.
"""

from __future__ import annotations

import argparse
import contextlib
import contextvars
import datetime as dt
import functools
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from analysis.io import InputError, atomic_open, run_step

LANGUAGES = ("en", "ko")
LOCALES = {"en": "en_GB", "ko": "ko_KR"}
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
# where the strings to translate are written, relative to the project root
SOURCES = ("analysis", "reports/templates")
# _("text", **values), text.gettext("text", **values) and N_("text") (mark, translate later)
KEYWORDS = {"_": None, "gettext": None, "N_": None}
MINUS = "\u2212"
RANGE = {"en": "\u2013", "ko": "~"}  # en dash; Korean newspapers print a tilde, unspaced


# The term for North Korean defectors in Korean text. The legal term (북한이탈주민, the name the
# 1997 protection and settlement support act uses) is the default; 탈북민 is the everyday
# word; 북향민 is the one the Ministry of Unification began using in its own documents in late
# 2025, which several defectors' organisations objected to. The choice and its sources are in
# data/raw/events.csv (event terminology-bukhyangmin) and the reports' method notes.
def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a string for the catalogue where it is defined; translate it where it is used."""
    return message


TERMS = {
    "북한이탈주민": N_(
        "the legal term of the North Korean Refugees Protection and Settlement Support Act"
    ),
    "탈북민": N_("the everyday term"),
    "북향민": N_("the Ministry of Unification's term since late 2025, contested"),
}
DEFAULT_TERM = "북한이탈주민"
# the model families as the texts name them: in English the code the parameter takes, in Korean
# the statistician's word (a code such as quasipoisson is not Korean text)
FAMILIES = {
    "poisson": N_("poisson"),
    "quasipoisson": N_("quasipoisson"),
    "negbin": N_("negbin"),
    "binomial": N_("binomial"),
    "quasibinomial": N_("quasibinomial"),
}
# where the choice of term is cited (data/raw/sources.csv; events term-review-2025-09 and
# term-bukhyangmin-2025-12 in data/raw/events.csv), by what each reports: the Ministry's review
# of the term in September 2025, and its use of 북향민 with the objections to it
TERM_SOURCES = {
    "review": ("segye-ilbo-2025-09-16", "seoul-shinmun-2025-09-17"),
    "use": ("kukmin-ilbo-2025-12-23",),
}


def fields(message: str) -> set[str]:
    """The named placeholders of a message: {"count", "year"} for "{count} in {year}"."""
    message = message.rpartition("\x04")[2]
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


@functools.cache
def catalogue(language: str) -> dict[str, str]:
    """msgid -> translation for a language; untranslated and fuzzy entries are left out."""
    if language == "en":
        return {}
    from babel.messages.pofile import read_po

    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as fh:
        cat = read_po(fh, locale=LOCALES[language])
    return {key(m.id, m.context): m.string for m in cat if m.id and m.string and not m.fuzzy}


def key(message: str, context: str | None = None) -> str:
    """A catalogue key: the message, or gettext's "context\x04message" when it has a context
    (the same English word can need two translations: "year" as a unit and as a period)."""
    return f"{context}\x04{message}" if context else message


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise InputError(
            f"error: language {language!r} is not one of {', '.join(LANGUAGES)}; "
            "write `language: en` or `language: ko`"
        )
    return language


def check_term(term: str) -> str:
    if term not in TERMS:
        raise InputError(
            f"error: term {term!r} is not one of {', '.join(TERMS)}; write "
            f"`term: {DEFAULT_TERM}` (the legal term) or one of the others"
        )
    return term


@dataclass(frozen=True)
class Text:
    """Everything language-dependent in one object: translation and formatting."""

    language: str = "en"
    term: str = DEFAULT_TERM

    def __post_init__(self) -> None:
        check_language(self.language)
        check_term(self.term)

    @property
    def locale(self) -> str:
        return LOCALES[self.language]

    def gettext(self, message: str, /, **values: object) -> str:
        """The message in this language, its {placeholders} filled from `values` (and {term}).

        A message without a translation comes out in English (gettext's rule); the test of
        the catalogue makes sure none ships that way."""
        translated = catalogue(self.language).get(message, message)
        if not values and "{" not in translated:
            return translated
        return translated.format(**({"term": self.term} | values))

    def translate(self, message: str, context: str | None = None) -> str:
        """The message in this language as it stands, without filling placeholders."""
        return catalogue(self.language).get(key(message, context), message)

    def column(self, name: str, columns: Iterable[str]) -> str:
        """The column that says `name` in this language: NAME_ko in Korean where the table has
        it (the optional Korean columns of data/raw: publisher_ko, event_ko), else NAME."""
        localized = f"{name}_{self.language}"
        return localized if self.language != "en" and localized in columns else name

    def number(self, value: float, digits: int = 0) -> str:
        """1,047; 0.125 with digits=3; a negative number with a minus sign (−38)."""
        from babel.numbers import format_decimal

        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.locale).replace("-", MINUS)

    def signed(self, value: float, digits: int = 0) -> str:
        """+14 or −38: a change, with its sign."""
        text = self.number(value, digits)
        return text if text.startswith(MINUS) or value == 0 else "+" + text

    def percent(self, pct: float, digits: int = 0) -> str:
        """A percentage given in percent (37.4 -> "37%")."""
        from babel.numbers import format_percent

        pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
        text = format_percent(pct / 100, format=pattern, locale=self.locale)
        return text.replace("-", MINUS)

    def span(self, low: str, high: str) -> str:
        """Two formatted values as a range: 2,431–5,482 / 2,431~5,482."""
        return f"{low}{RANGE[self.language]}{high}"

    def year(self, year: int) -> str:
        """2019 / 2019년."""
        from babel.dates import format_skeleton

        return format_skeleton("y", dt.date(int(year), 1, 1), locale=self.locale)

    def years(self, first: int, last: int) -> str:
        """2020–2024 / 2020~2024년 (the unit once, after the range, as newspapers print it)."""
        if int(first) == int(last):
            return self.year(first)
        return self.span(str(int(first)), self.year(last))

    def quarters(self, text: str) -> str:
        """Quarters as the data write them ("Q1", "Q1, Q2") in this language: 1분기, 2분기."""
        if self.language == "en":
            return text
        from babel.dates import format_date

        def quarter(m: re.Match) -> str:
            first_month = 3 * int(m.group(1)) - 2
            return format_date(dt.date(2000, first_month, 1), "QQQ", locale=self.locale)

        return re.sub(r"Q([1-4])", quarter, text)

    def date(self, text: str) -> str:
        """A date as the data give it (YYYY, YYYY-MM or YYYY-MM-DD), in words:
        2026년 2월 4일 / 4 February 2026; 2025년 4월 / April 2025; 2019년 / 2019."""
        from babel.dates import format_date, format_skeleton

        parts = [int(p) for p in text.split("-")]
        if len(parts) == 1:
            return self.year(parts[0])
        if len(parts) == 2:
            return format_skeleton("yMMMM", dt.date(parts[0], parts[1], 1), locale=self.locale)
        return format_date(dt.date(*parts), "long", locale=self.locale)


ENGLISH = Text("en")
_current: contextvars.ContextVar[Text] = contextvars.ContextVar("text", default=ENGLISH)


def current() -> Text:
    """The language a chart is being built or drawn in (see `using`)."""
    return _current.get()


@contextlib.contextmanager
def using(text: Text):  # noqa: ANN201
    """Build or draw in this language: chart code calls _() without passing it along."""
    token = _current.set(text)
    try:
        yield text
    finally:
        _current.reset(token)


def gettext(message: str, /, **values: object) -> str:
    """_(): the message in the current language (see `using`), placeholders filled."""
    return _current.get().gettext(message, **values)


# --- the catalogue ---------------------------------------------------------------------------


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract(root: Path, dirs: Iterable[str] = SOURCES) -> dict[str, list[str]]:
    """msgid -> where it is written (file:line), for every _()/N_() string under `dirs`.

    A wrapped f-string cannot be translated (its text is not known until run time): it is
    reported as a problem under the key "" by `problems`."""
    import warnings

    from babel.messages.extract import extract_from_dir

    found: dict[str, list[str]] = {}
    for folder in dirs:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for filename, line, message, _comments, _context in extract_from_dir(
                root / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
            ):
                if isinstance(message, str):
                    found.setdefault(message, []).append(f"{folder}/{filename}:{line}")
        for w in caught:
            found.setdefault("", []).append(str(w.message))
    # the data dictionary's descriptions and units are user-facing text too, kept in its tables
    from analysis import datapackage

    source = Path(datapackage.__file__).read_text(encoding="utf-8")
    for message, context in datapackage.strings():
        at = source.find(f'"{message}"')  # its line, where written on one
        line = source.count("\n", 0, at) + 1 if at >= 0 else 1
        found.setdefault(key(message, context), []).append(f"analysis/datapackage.py:{line}")
    return found


def problems(messages: dict[str, list[str]], translations: dict[str, str]) -> list[str]:
    """Why the catalogue is not complete for these messages: one line per problem."""
    out = [f"not translatable (an f-string in _()): {w}" for w in messages.get("", [])]
    for msgid, where in sorted(messages.items()):
        if not msgid:
            continue
        if msgid not in translations:
            out.append(f"{where[0]}: no translation for {msgid!r}")
            continue
        missing = fields(msgid) - fields(translations[msgid])
        extra = fields(translations[msgid]) - fields(msgid) - {"term"}
        if missing or extra:
            out.append(
                f"{where[0]}: the translation of {msgid!r} "
                + (f"drops {sorted(missing)}" if missing else f"adds {sorted(extra)}")
            )
    return out


def update(root: Path, language: str = "ko") -> tuple[int, int]:
    """Merge the strings written in the code into the catalogue: new ones untranslated, unused
    ones dropped, translations kept. Returns (strings, untranslated)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    path = po_path(language)
    with path.open("rb") as fh:
        cat = read_po(fh, locale=LOCALES[language])
    template = Catalog(locale=None, domain=DOMAIN, creation_date=cat.creation_date)
    for msgid, where in sorted(extract(root).items()):
        if msgid:
            context, _, message = msgid.rpartition("\x04")
            locations = [(w.rsplit(":", 1)[0], int(w.rsplit(":", 1)[1])) for w in where]
            flags = ("python-brace-format",) if fields(message) else ()
            template.add(message, locations=locations, flags=flags, context=context or None)
    cat.update(template, update_header_comment=False)
    cat.obsolete.clear()
    cat.revision_date = cat.creation_date  # no date that changes with every update
    with atomic_open(path, "wb") as fh:
        # no file:line comments: they would change with every edit of the code and make the
        # catalogue conflict in merges (`extract` and the test say where a string is written)
        write_po(fh, cat, width=100, sort_output=True, include_previous=False, no_location=True)
    # a fuzzy entry (a guess gettext made from a changed string) is not a translation yet
    untranslated = sum(1 for m in cat if m.id and (not m.string or m.fuzzy))
    return len([m for m in cat if m.id]), untranslated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("update", help="merge the strings of the code into the Korean catalogue")
    sub.add_parser("check", help="list strings without a translation")
    args = parser.parse_args()
    root = LOCALE_DIR.parent.parent
    if args.command == "update":
        total, todo = update(root)
        print(f"{po_path('ko').relative_to(root)}: {total} strings, {todo} to translate")
    found = problems(extract(root), catalogue("ko"))
    if args.command == "check" and found:
        raise InputError("\n".join(f"error: {p}" for p in found))


if __name__ == "__main__":
    run_step(main)
