"""README text before Qt sees it: images as their alt text, guards, and rST made HTML.

No Qt here: these functions run on the GUI thread (Markdown) or on a pool
thread (reStructuredText, which docutils parses in pure Python). Every
pattern runs on untrusted text, so none may backtrack quadratically: each
repeated class excludes the characters that could start or end the next
attempt (so ``"![" * 20000`` is one pass, not 20,000 scans to the end).

reStructuredText is rendered with docutils' safe settings: no raw HTML, no
file or URL inclusion (``include``, ``raw :file:``, ``csv-table :url:``), no
configuration file read from disk, no image read to learn its size, and no
system messages in the output.
"""

from __future__ import annotations

import html
import io
import re

MAX_README_CHARS = 300_000  # rendering more would stall the GUI thread
# Qt's Markdown import and layout grow faster than linearly with the items of one list and
# the cells of tables (60,000 list items: minutes). Past these counts the README is shown as
# plain text, which costs the same for any shape of text.
MAX_LIST_ITEMS = 3000
MAX_TABLE_PIPES = 6000
RST_SAMPLE = 20_000  # how much of a README decides whether it is rST

# HTML void elements written without "/>" make Qt's Markdown reader drop the rest of the text.
_VOID_TAG = re.compile(
    r"<(area|br|col|embed|hr|img|input|link|meta|source|track|wbr)\b([^<>]*?)/?>", re.IGNORECASE)
# ![alt](target): the alt holds no bracket (a badge inside a link, [![b](u)](l), keeps its
# link); the target may hold one level of parentheses, as Wikipedia addresses do.
_MARKDOWN_IMAGE = re.compile(r"!\[([^\[\]]*)\]\((?:[^()]|\([^()]*\))*\)")
_HTML_IMAGE = re.compile(r"<img\b[^<>]*>", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-+*]|\d{1,9}[.)])[ \t]", re.MULTILINE)
_ALT = re.compile(r"""\balt\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_SRC = re.compile(r"""\bsrc\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
# What only reStructuredText writes: directives, targets, substitutions, `text <url>`_ links.
_RST_MARK = re.compile(r"^\.\. (?:[A-Za-z][\w-]*::|_[^:\n]{1,200}:|\|[^|\n]{1,200}\|)"
                       r"|`[^`\n]{1,500}`__?", re.MULTILINE)
_RST_UNDERLINE = re.compile(r"^([=~^\"'`#*+:.-])\1{2,}[ \t]*$", re.MULTILINE)
# What only Markdown writes: ATX headings, fences, [text](url) links.
_MARKDOWN_MARK = re.compile(r"^#{1,6}[ \t]\S|^(?:```|~~~)|\]\([^()\s]{1,2000}\)", re.MULTILINE)

RST_SETTINGS = {
    "raw_enabled": False,  # ".. raw:: html" would put the README's own HTML in the page
    "file_insertion_enabled": False,  # include, raw/csv-table :file: and :url:, image sizes
    "_disable_config": True,  # no docutils.conf from the disk either
    "image_loading": "link",  # never "embed" (which reads the image file)
    "report_level": 5,  # no system messages in the text
    "halt_level": 5,  # a broken document still renders
    "syntax_highlight": "none",  # code stays text; Pygments classes mean nothing to Qt
    "smart_quotes": False,
    "doctitle_xform": False,  # a README's title stays in the text (the body part)
    "input_encoding": "unicode",
    "traceback": True,  # raise to our caller, which falls back to plain text
}


def _image_text(alt: str) -> str:
    alt = " ".join(alt.replace("[", "(").replace("]", ")").replace("<", "").split())
    return f"(image: {alt})" if alt else ""


def images_as_text(markdown: str) -> str:
    """Show each image as its alt text: images are never loaded, so this reads better."""
    markdown = _MARKDOWN_IMAGE.sub(lambda m: _image_text(m.group(1)), markdown)

    def html_image(match: re.Match) -> str:
        alt = _ALT.search(match.group(0))
        return _image_text(alt.group(2) if alt else "")
    return _HTML_IMAGE.sub(html_image, markdown)


def too_complex_to_format(markdown: str) -> bool:
    """True when Qt would take seconds to lay the Markdown out (long lists, big tables)."""
    if markdown.count("|") > MAX_TABLE_PIPES:
        return True
    items = 0
    for _ in _LIST_ITEM.finditer(markdown):
        items += 1
        if items > MAX_LIST_ITEMS:
            return True
    return False


def close_void_tags(markdown: str) -> str:
    """``<img src=x>`` -> ``<img src=x />``, so everything after an HTML image still shows."""
    return _VOID_TAG.sub(lambda m: f"<{m.group(1)}{m.group(2).rstrip()} />", markdown)


def looks_like_rst(text: str) -> bool:
    """True for a reStructuredText README (the catalog keeps its text, not its file name).

    Directives, targets and `link`_ references count twice, title underlines once;
    Markdown's own marks (``#`` headings, fences, ``[text](url)``) count against."""
    sample = text[:RST_SAMPLE]
    rst = 2 * len(_RST_MARK.findall(sample)) + len(_RST_UNDERLINE.findall(sample))
    markdown = 2 * len(_MARKDOWN_MARK.findall(sample))
    return rst >= 3 and rst > markdown


def rst_to_html(text: str) -> str:
    """The README as an HTML fragment for Qt (blocking: call it off the GUI thread)."""
    from docutils.core import publish_parts  # loaded only when an rST README is shown

    settings = dict(RST_SETTINGS, warning_stream=io.StringIO())
    # Qt's rich text is a subset of HTML 4: the html4css1 writer's compact lists and <tt>
    # read well there; html5's <li><p> pairs and <section>s do not.
    body = publish_parts(source=text, writer="html4css1",
                         settings_overrides=settings)["body"]
    body = body.replace("\n</pre>", "</pre>")  # no empty last line in a code block
    return _HTML_IMAGE.sub(_rst_image, body)


def _rst_image(match: re.Match) -> str:
    """An image as its alt text; docutils makes the address the alt when none is given."""
    alt, src = _ALT.search(match.group(0)), _SRC.search(match.group(0))
    text = html.unescape(alt.group(2)) if alt else ""
    if src and text == html.unescape(src.group(2)):
        return ""
    return html.escape(_image_text(text))


def plain_text_html(text: str, note: str) -> str:
    """``text`` shown as it is, with a note above it, as HTML."""
    return f"<p><i>{html.escape(note)}</i></p><pre>{html.escape(text)}</pre>"
