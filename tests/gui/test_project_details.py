"""The details pane: fields, a README that loads nothing, links only on click, flags."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QTextBrowser

from core.models import Project
from gui.project_details import ProjectDetails
from gui.readme_text import images_as_text
from gui.readme_view import SafeReadmeBrowser


def test_readme_images_are_never_loaded(qtbot, make_project, fake_github, tmp_path):
    secret_file = tmp_path / "secret.png"
    secret_file.write_bytes(b"\x89PNG not really")
    readme = (f'# Title\n\n<img src="{fake_github.url}/x.png">\n\n'
              f"![a](file:///etc/passwd)\n\n![b](rel.png)\n\n![c]({secret_file.as_uri()})\n\n"
              "![d](data:image/png;base64,iVBORw0KGgo=)\n\n"
              f'<table background="{fake_github.url}/bg.png"><tr><td>cell</td></tr></table>\n\n'
              "Text after the images.\n")
    project = make_project("pallets/flask", readme=readme)
    details = ProjectDetails()
    qtbot.addWidget(details)
    details.resize(600, 600)
    details.show()
    details.show_project(project.id)
    qtbot.waitExposed(details)
    details.readme.viewport().repaint()  # layout and paint: when images would be fetched
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
    details = ProjectDetails()
    qtbot.addWidget(details)
    details.show_project(project.id)
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
    details = ProjectDetails()
    qtbot.addWidget(details)
    details.show_project(project.id)
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
    details = ProjectDetails()
    qtbot.addWidget(details)
    details.resize(600, 600)
    details.show()
    details.show_project(project.id)
    details.readme.viewport().repaint()  # layout and paint as well
    assert details.readme.toPlainText().rstrip().endswith("The end.")
