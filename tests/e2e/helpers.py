"""Helpers of the end-to-end tests: run make in a project copy, fingerprint its outputs."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path


def make_env() -> dict[str, str]:
    """This process's environment without the calling make's variables (a make run by a test
    must not join the outer make's jobserver or inherit its flags)."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}


def make(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = make_env()
    return subprocess.run(
        ["make", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=600
    )


def digest(root: Path) -> dict[str, str]:
    files = [p for d in ("data/processed", "reports") for p in (root / d).rglob("*") if p.is_file()]
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def open_page(browser, path: Path) -> None:
    """Load a page and wait until it is parsed to its end (on a loaded machine a long report
    was once read while its parsing was still under way)."""
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(path.as_uri())
    seen: list[int] = []

    def settled(b) -> bool:
        seen.append(
            b.execute_script(
                "return document.readyState === 'complete' ? "
                "document.getElementsByTagName('*').length : -1"
            )
        )
        return len(seen) > 1 and seen[-1] == seen[-2] > 0

    WebDriverWait(browser, 60, poll_frequency=0.2).until(settled)


# The longest line of running text on the page, in characters, measured where the browser
# breaks the lines (each text node's characters grouped by the line box they fall on), and the
# page's width against the window's (a page that scrolls sideways is cut off on a phone).
LINE_LENGTHS = """
const blocks = [...document.querySelectorAll('main p, main li, main figcaption, main h1, main h2')]
  .filter(e => !e.closest('table, .nk-table, svg'));
let max = 0, longest = [];
for (const el of blocks) {
  const lines = [];
  let bottom = -Infinity;
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      range.setStart(node, i); range.setEnd(node, i + 1);
      const r = range.getClientRects()[0];
      if (!r) continue;
      if ((r.top + r.bottom) / 2 > bottom) { lines.push(''); bottom = r.bottom; }
      else bottom = Math.max(bottom, r.bottom);
      lines[lines.length - 1] += node.data[i];
    }
  }
  for (const text of lines) {
    const t = text.trim();
    if (t.length > max) max = t.length;
    if (t.length > 75) longest.push(t);
  }
}
return {max: max, longest: longest.slice(0, 5),
        scrollWidth: document.documentElement.scrollWidth - window.innerWidth};
"""
