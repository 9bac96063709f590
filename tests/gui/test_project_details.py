"""The details pane: fields, a README that loads nothing, links only on click, flags."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QTextBrowser

from core.models import Project
from gui.project_details import ProjectDetails
from gui.readme_text import images_as_text
from gui.readme_view import SafeReadmeBrowser


def _details(qtbot, project, *, shown: bool = False) -> ProjectDetails:
    """A details pane (no runner: an rST README renders at once) showing ``project``;
    ``shown``: on screen at 600 x 600, laid out and painted (when images would load)."""
    details = ProjectDetails()
    qtbot.addWidget(details)
    if shown:
        details.resize(600, 600)
        details.show()
    details.show_project(project.id)
    if shown:
        qtbot.waitExposed(details)
        details.readme.viewport().repaint()
    return details


def test_readme_images_are_never_loaded(qtbot, make_project, fake_github, tmp_path):
    secret_file = tmp_path / "secret.png"
    secret_file.write_bytes(b"\x89PNG not really")
    readme = (f'# Title\n\n<img src="{fake_github.url}/x.png">\n\n'
              f"![a](file:///etc/passwd)\n\n![b](rel.png)\n\n![c]({secret_file.as_uri()})\n\n"
              "![d](data:image/png;base64,iVBORw0KGgo=)\n\n"
              f'<table background="{fake_github.url}/bg.png"><tr><td>cell</td></tr></table>\n\n'
              "Text after the images.\n")
    project = make_project("pallets/flask", readme=readme)
    details = _details(qtbot, project, shown=True)
    text = details.readme.toPlainText()
    assert "Text after the images." in text and "(image: a)" in text  # images show as alt text
    # What still reaches loadResource (a table background) is refused too.
    assert any("bg.png" in url for url in details.readme.refused_resources)
    browser = details.readme
    image = int(QTextDocument.ResourceType.ImageResource)
    # The control: a plain QTextBrowser does read a local image, so the checks below can fail.
    plain = QTextBrowser()
    qtbot.addWidget(plain)
    assert not plain.document().resource(image, QUrl(secret_file.as_uri())).isEmpty()
    for url in (f"{fake_github.url}/x.png", "file:///etc/passwd", "rel.png",
                secret_file.as_uri(), "data:image/png;base64,iVBORw0KGgo="):
        assert browser.loadResource(image, QUrl(url)).isEmpty()
        # What the document itself ends up with: Qt falls back to reading files and
        # decoding data: URLs when loadResource answers None; an empty answer stops it.
        assert browser.document().resource(image, QUrl(url)).isEmpty()
    # Nothing reached the server (Qt's text browser has no network access of its own, so
    # this only backs up the resource checks above).
    assert fake_github.request_count == 0


def test_links_open_in_the_system_browser_only_when_http(qtbot, opened_urls):
    browser = SafeReadmeBrowser()
    qtbot.addWidget(browser)
    assert not browser.openLinks()
    browser.setMarkdown("[site](https://example.org/page) [local](file:///etc/passwd)")
    assert opened_urls == []  # rendering opens nothing
    browser.anchorClicked.emit(QUrl("https://example.org/page"))
    browser.anchorClicked.emit(QUrl("file:///etc/passwd"))
    browser.anchorClicked.emit(QUrl("javascript:alert(1)"))
    browser.anchorClicked.emit(QUrl("rel/doc.md"))
    assert opened_urls == ["https://example.org/page"]


def test_shows_the_portfolio_fields_as_plain_text(qtbot, make_project, opened_urls):
    project = make_project(
        "psf/requests", description="<b>HTTP</b> for humans", summary="A summary.",
        highlights=["Simple API", "Sessions"], tags=["http", "client"], stars=52000, forks=9000,
        license="Apache-2.0", tech_stack={"languages": ["Python"], "frameworks": [],
                                          "tools": ["GitHub Actions"]})
    details = _details(qtbot, project)
    assert details.title.text() == "requests"
    assert details.description.text() == "<b>HTTP</b> for humans"  # not rendered as HTML
    facts = details.fact_texts()
    assert facts["Stars"] == "52,000" and facts["License"] == "Apache-2.0"
    assert details.highlights.text() == "•  Simple API\n•  Sessions"
    assert details.chip_texts("Tags") == ["http", "client"]
    assert details.chip_texts("Tech stack") == ["Python", "GitHub Actions"]
    details.open_button.click()
    assert opened_urls == ["https://github.com/psf/requests"]
    details.show_project(None)
    assert details.project is None


def test_showcase_and_private_toggles_write_the_catalog(qtbot, make_project):
    project = make_project("a/b", is_showcase=True, is_private=False)
    details = _details(qtbot, project)
    with qtbot.waitSignal(details.project_changed):
        details.showcase.click()
    details.private.click()
    fresh = Project.get_by_id(project.id)
    assert (fresh.is_showcase, fresh.is_private) == (False, True)


def test_badges_and_images_become_alt_text():
    assert images_as_text("[![build](https://ci/badge.svg)](https://ci/job)") == (
        "[(image: build)](https://ci/job)")  # the link around a badge stays a link
    assert images_as_text("![Foo](https://en.wikipedia.org/wiki/Foo_(bar)) after") == (
        "(image: Foo) after")
    assert images_as_text('<img alt="logo" src="x.png"> ![](y.png)') == "(image: logo) "


@pytest.mark.timeout(10)  # the old image pattern took minutes on this text
@pytest.mark.parametrize("hostile", [
    "![" * 100_000,  # every "![" used to scan to the end of the text
    "![a](" * 40_000,
    "<img " * 40_000,
    "- item\n" * 30_000,  # one list of 30,000 items: minutes of Qt layout
    "|a|b|\n|-|-|\n" + "|x|y|\n" * 30_000,  # a table of 30,000 rows
], ids=["bang-bracket", "image-open", "img-tag", "long-list", "long-table"])
def test_a_hostile_readme_renders_at_once(qtbot, make_project, hostile):
    assert len(hostile) >= 180_000
    project = make_project("evil/readme", readme=hostile + "\nThe end.")
    details = _details(qtbot, project, shown=True)
    assert details.readme.toPlainText().rstrip().endswith("The end.")


# -- item 9: one page with clear sections, the README as tall as its text -----------------

LONG_README = "# Title\n\n" + "\n\n".join(f"Paragraph {n} of the README." for n in range(60))


def test_sections_in_order_and_nothing_cut(qtbot, window, make_project):
    """The details were cramped: metadata in a small scroll area, highlights cut at the edge,
    about 200 px for the README, and the stack as one line of text."""
    long = "A highlight long enough to wrap over more than one line in a pane of this width."
    project = make_project(
        "spf13/cobra", description="A CLI library.", summary="Cobra builds CLIs. " * 8,
        highlights=[long, long, "Short."], tags=["cli", "go"], readme=LONG_README,
        tech_stack={"languages": ["Go"], "frameworks": ["pflag", "Viper"], "tools": ["Make"]})
    window.show()
    window.browser.reload()
    window.open_project(project.id)
    details = window.details
    qtbot.waitUntil(lambda: details.readme.height() > 300, timeout=3000)
    titles = [title.text() for title, widget in details.sections.values() if widget.isVisibleTo(details)]
    assert titles == ["About", "Summary", "Highlights", "Tech stack", "Tags", "Facts", "README"]
    for label in (details.description, details.summary, details.highlights):
        assert label.height() >= label.heightForWidth(label.width()), label.text()[:30]
    assert details.chip_texts("Tech stack") == ["Go", "pflag", "Viper", "Make"]
    # The README is as tall as its text (the page scrolls as a whole), not a small box.
    document = details.readme.document().size().height()
    assert details.readme.height() >= document
    assert details.readme.verticalScrollBar().maximum() == 0
    bar = details.scroll.verticalScrollBar()
    assert bar.maximum() > 0
    details.readme.setFocus()
    qtbot.keyClick(details.readme, Qt.Key.Key_PageDown)  # the page scrolls, from the README
    assert bar.value() > 0


def test_empty_sections_are_left_out(qtbot, make_project):
    project = make_project("a/b", summary="", highlights=[], tags=[], tech_stack={})
    details = _details(qtbot, project, shown=True)
    shown = [name for name, (title, _) in details.sections.items() if title.isVisibleTo(details)]
    assert shown == ["About", "Facts", "README"]


# -- item 10: rST READMEs as documents, code blocks styled ---------------------------------

HUEY_README = (Path(__file__).parents[1] / "data" / "corpus" / "coleifer__huey" / "files"
               / "README.rst").read_text()


def test_an_rst_readme_is_rendered_as_a_document(qtbot, make_project, opened_urls):
    """.rst READMEs showed raw markup (``.. image::``, `` `…`_ ``)."""
    project = make_project("coleifer/huey", readme=HUEY_README)
    details = _details(qtbot, project)
    text = details.readme.toPlainText()
    assert "At a glance" in text and "a lightweight alternative" in text
    for markup in (".. image::", ".. code-block::", "`example code <", ">`_", "\n---"):
        assert markup not in text, markup
    html = details.readme.toHtml()
    assert 'href="https://huey.readthedocs.io/"' in html  # `documentation <…>`_ is a link
    assert "from huey import RedisHuey" in text  # the code block, as code
    assert details.readme.refused_resources == [] or all(
        "charlesleifer" in u or "imgur" in u for u in details.readme.refused_resources)


def _code_frames(browser):
    root = browser.document().rootFrame()
    return [frame for frame in root.childFrames()
            if frame.frameFormat().background().style() != Qt.BrushStyle.NoBrush]


@pytest.mark.parametrize("readme", [
    "Intro.\n\n```python\nprint('hi')\nprint('there')\n```\n\nAfter.\n",
    "Intro\n=====\n\nText with a `link <https://x.org>`_.\n\n.. code-block:: python\n\n"
    "    print('hi')\n\nAfter.\n\n.. note:: A note.\n",
], ids=["markdown", "rst"])
def test_code_blocks_have_a_background_and_room(qtbot, make_project, readme):
    project = make_project("a/code", readme=readme)
    details = _details(qtbot, project)
    frames = _code_frames(details.readme)
    assert len(frames) == 1
    fmt = frames[0].frameFormat()
    assert fmt.padding() >= 6 and fmt.bottomMargin() >= 6
    inside = frames[0].firstCursorPosition().block().text()
    assert inside == "print('hi')"


def test_rst_loads_nothing_and_runs_no_directive_that_reads(qtbot, make_project, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    image = tmp_path / "local.png"
    image.write_bytes(b"\x89PNG not really")
    readme = (f"Title\n=====\n\nSafe text.\n\n.. include:: {secret}\n\n"
              f".. raw:: html\n\n   <b>RAW-HTML</b>\n\n"
              f".. raw:: html\n   :file: {secret}\n\n"
              f".. csv-table:: t\n   :file: {secret}\n\n"
              f".. image:: {image.as_uri()}\n   :scale: 50\n\n"
              f".. image:: {image}\n   :alt: local picture\n\nThe end.\n")
    project = make_project("evil/rst", readme=readme)
    details = _details(qtbot, project, shown=True)
    text, html = details.readme.toPlainText(), details.readme.toHtml()
    assert "Safe text." in text and "The end." in text
    assert "TOP-SECRET-CONTENT" not in html and "RAW-HTML" not in text
    assert "(image: local picture)" in text and "<img" not in html
    image_type = int(QTextDocument.ResourceType.ImageResource)
    assert details.readme.document().resource(image_type, QUrl(image.as_uri())).isEmpty()


def test_rst_is_rendered_off_the_gui_thread_and_a_late_result_is_dropped(qtbot, window,
                                                                         make_project):
    import threading
    from gui import project_details
    threads = []
    real = project_details.rst_to_html
    gate = threading.Event()

    def slow_render(text):
        threads.append(threading.current_thread())
        gate.wait(5)
        return real(text)
    rst = make_project("coleifer/huey", readme=HUEY_README)
    markdown = make_project("psf/requests", readme="# Requests\n\nHTTP for humans.")
    window.browser.reload()
    project_details.rst_to_html = slow_render
    try:
        window.open_project(rst.id)
        assert "Rendering the README" in window.details.readme.toPlainText()  # not blocked
        window.open_project(markdown.id)  # the user moves on before it is done
        gate.set()
        qtbot.waitUntil(lambda: not window.runner.busy, timeout=5000)
    finally:
        project_details.rst_to_html = real
    assert threads and threads[0] is not threading.main_thread()
    assert "HTTP for humans." in window.details.readme.toPlainText()
    assert "At a glance" not in window.details.readme.toPlainText()
