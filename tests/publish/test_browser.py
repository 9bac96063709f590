"""The published site in a real browser: headless Chromium (Debian's package), network off.

At 390 px and 1280 px: every showcased title shows, nothing overflows sideways,
no request leaves the output folder, the category filter works with no script
at all (a real mouse click and real key presses), focus is visible, and the
system's light or dark scheme is followed. Measurements are taken by the test
over the DevTools protocol (``tests/publish/chromium.py``); the page itself runs
no JavaScript. ``.ci/run`` installs Chromium, so in CI these tests always run.
"""

from __future__ import annotations

import functools
import subprocess
import sys
import http.server
import threading
from pathlib import Path

import pytest

from core.db import open_catalog
from core.models import Profile, Project
from core.publish import PublishOptions, publish
from tests.publish.chromium import Chromium, chromium_binary

pytestmark = pytest.mark.skipif(chromium_binary() is None, reason="Chromium is not installed "
                                "(apt-get install chromium; .ci/run does)")

LONG_WORD = "Supercalifragilistic" * 6
PROJECTS = [  # (full name, title, category, stars, extra fields)
    ("alice/ledger", "Ledger", "Web Application", 1200, {}),
    ("alice/tinyhttp", "tinyhttp", "Library / Framework", 870, {}),
    ("alice/shellfish", "shellfish", "Command-Line Tool", 430, {}),
    ("alice/pixel-garden", "Pixel Garden", "Game", 95, {}),
    ("alice/" + LONG_WORD.lower()[:90], LONG_WORD, "Command-Line Tool", 12,
     {"description": "An unbroken " + LONG_WORD + " and https://example.org/" + "a" * 150,
      "homepage": "https://example.org/" + "very-long-path/" * 12}),
    ("alice/quoted", 'The "<quoted>" one', "Other", 3,
     {"description": '<script>alert("x")</script> stays text'}),
]
HIDDEN_TITLE = "Qzhiddenbrowsertitle"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("browser")
    db = open_catalog(folder / "repofolio.db")
    profile = Profile.get()
    for n, (full_name, title, category, stars, extra) in enumerate(PROJECTS, start=1):
        stack = {"languages": ["Python", "TypeScript"][: 1 + n % 2],
                 "frameworks": ["Flask", "React", "Click"][: n % 3],
                 "tools": ["Docker", "pytest", "GitHub Actions"][: 1 + n % 3]}
        Project.create(profile=profile, slug=f"p{n}", key=full_name, github_id=n,
                       full_name=full_name, title=title, url=f"https://github.com/{full_name}",
                       category=category, stars=stars, summary=f"{title} in a paragraph. " * 6,
                       highlights=["Fast", "Small"], tech_stack=stack,
                       languages={stack["languages"][0]: 1000},
                       **{"description": f"What {title} does, in one sentence.", **extra})
    Project.create(profile=profile, slug="hidden", key="alice/hidden", github_id=99,
                   full_name="alice/hidden", title=HIDDEN_TITLE, url="https://github.com/a/h",
                   is_showcase=False, stars=10_000)
    out = folder / "site"
    publish(PublishOptions(out=out, title="Alice Example",
                           intro="I build small tools for the web and the terminal."))
    db.close()
    return out


@pytest.fixture(scope="module")
def browser():
    with Chromium(chromium_binary()) as chromium:
        yield chromium


def visible_card_titles(browser: Chromium) -> list[str]:
    return browser.evaluate("""[...document.querySelectorAll('.cards > li')]
        .filter(li => li.offsetParent !== null)
        .map(li => li.querySelector('h3').textContent.trim())""")


def overflow(browser: Chromium) -> dict:
    """How far the page reaches past the right edge of the viewport, the elements that do,
    and the elements whose text spills out of their own box."""
    return browser.evaluate("""(() => {
        const shown = e => !e.closest('.visually-hidden') && e.getClientRects().length > 0;
        const all = [...document.body.querySelectorAll('*')].filter(shown);
        const name = e => e.tagName + '.' + e.className;
        return {
            page: document.documentElement.scrollWidth - window.innerWidth,
            elements: all.filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
                         .map(name),
            spilling: all.filter(e => getComputedStyle(e).overflowX === 'visible'
                                      && e.scrollWidth > e.clientWidth + 1
                                      && e.clientWidth > 0).map(name)};
    })()""")


@pytest.mark.parametrize("width", [390, 1280])
def test_every_title_shows_and_nothing_overflows(browser, site, width, tmp_path):
    browser.viewport(width, 900)
    browser.open((site / "index.html").as_uri())
    assert visible_card_titles(browser) == [title for _, title, _, _, _ in PROJECTS]
    assert HIDDEN_TITLE not in browser.evaluate("document.body.innerText")
    assert overflow(browser) == {"page": 0, "elements": [], "spilling": []}
    assert browser.evaluate("document.scripts.length") == 0
    browser.open((site / "projects" / "p5.html").as_uri())  # the longest words
    assert browser.evaluate("document.querySelector('h1').textContent") == LONG_WORD
    assert overflow(browser) == {"page": 0, "elements": [], "spilling": []}
    shot = tmp_path / f"{width}.png"
    browser.screenshot(shot)
    assert shot.stat().st_size > 5_000


def test_no_request_leaves_the_output_folder(browser, site):
    browser.seen_events.clear()
    browser.viewport(1280, 900)
    browser.open((site / "index.html").as_uri())
    for page in sorted((site / "projects").iterdir()):
        browser.open(page.as_uri())
    requested = browser.requested_urls()
    assert (site / "style.css").as_uri() in requested
    assert [u for u in requested if not u.startswith(site.as_uri() + "/")] == []
    # A blocked stylesheet, a CSP violation or a failed load would be logged as an error.
    assert [e for e in browser.log_entries() if e["level"] == "error"] == []


def _click_label(browser: Chromium, radio_id: str) -> None:
    box = browser.evaluate(f"""(() => {{
        const r = document.querySelector('label[for="{radio_id}"]').getBoundingClientRect();
        window.scrollTo(0, 0);
        return [r.x + r.width / 2, r.y + r.height / 2]; }})()""")
    browser.click(*box)


def test_the_category_filter_works_with_a_click_and_no_script(browser, site):
    browser.viewport(390, 900)
    browser.open((site / "index.html").as_uri())
    _click_label(browser, "filter-command-line-tool")
    assert visible_card_titles(browser) == ["shellfish", LONG_WORD]
    _click_label(browser, "filter-game")
    assert visible_card_titles(browser) == ["Pixel Garden"]
    _click_label(browser, "filter-all")
    assert len(visible_card_titles(browser)) == len(PROJECTS)


def test_keyboard_focus_is_visible_and_arrow_keys_filter(browser, site):
    browser.viewport(1280, 900)
    browser.open((site / "index.html").as_uri())
    browser.press("Tab", 9)
    assert browser.evaluate("document.activeElement.className") == "skip"
    assert browser.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    assert browser.evaluate("document.activeElement.getBoundingClientRect().top") >= 0
    browser.press("Tab", 9)
    assert browser.evaluate("document.activeElement.id") == "filter-all"
    label = "document.querySelector('label[for=filter-all]')"
    assert browser.evaluate(f"getComputedStyle({label}).outlineStyle") == "solid"
    browser.press("ArrowRight", 39)  # the next category, as radio buttons do
    assert browser.evaluate("document.activeElement.id") == "filter-web-application"
    assert visible_card_titles(browser) == ["Ledger"]


@pytest.mark.parametrize("dark, background", [(False, "rgb(255, 255, 255)"),
                                              (True, "rgb(13, 17, 23)")])
def test_light_and_dark_follow_the_system(browser, site, dark, background):
    browser.viewport(1280, 900, dark=dark)
    browser.open((site / "index.html").as_uri())
    assert browser.evaluate("getComputedStyle(document.body).backgroundColor") == background
    browser.viewport(1280, 900)


def test_the_same_folder_works_from_a_static_web_server(browser, site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_port}"
    try:
        browser.seen_events.clear()
        browser.viewport(390, 900)
        browser.open(f"{origin}/index.html")
        assert visible_card_titles(browser)[0] == "Ledger"
        assert browser.evaluate("getComputedStyle(document.body).backgroundColor") == \
            "rgb(255, 255, 255)"  # the stylesheet applied ('self' under the CSP)
        browser.open(f"{origin}/projects/p1.html")
        assert browser.evaluate("document.querySelector('h1').textContent") == "Ledger"
    finally:
        server.shutdown()
    assert [u for u in browser.requested_urls() if not u.startswith(origin + "/")] == []


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_the_readme_screenshots_can_be_made(tmp_path):
    script = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / \
        "take_publish_screenshots.py"
    done = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    for name, width in (("publish-1280.png", 1280), ("publish-390.png", 390)):
        header = (tmp_path / name).read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(header[16:20], "big") == width
        assert (tmp_path / name).stat().st_size > 20_000  # a page, not a blank
