"""Readers of package manifests, build files, container and CI definitions (no execution).

Each reader takes one file's text and returns a :class:`Parsed`: the dependencies it
declares (with their ecosystem and kind), the names of the packages the repository
itself builds, and tool display names it implies. Structured formats are parsed
(tomllib, PyYAML's ``safe_load``, ``json``, ``xml.etree`` on bounded, DTD-free text);
formats that are programs (``setup.py``, ``mix.exs``, ``Package.swift``, Gradle
scripts, CMake, conanfile.py) are read with careful patterns and never run.
:func:`parse_manifest` picks the reader from the file name; it may raise on broken
input, and the caller (:mod:`core.analysis.techstack`) skips such a file.
"""

from __future__ import annotations

import re

from core.analysis.manifests.base import Dep, Kind, Parsed
from core.analysis.manifests import apple, dotnet, infra, javascript, jvm, native, others, python

__all__ = ["Dep", "Kind", "Parsed", "parse_manifest", "reader_for"]

_READERS = [python.READERS, javascript.READERS, others.READERS, jvm.READERS, apple.READERS,
            dotnet.READERS, native.READERS, infra.READERS]


def reader_for(path: str):
    """The reader function for ``path`` (by its lower-case file name), or None."""
    for readers in _READERS:
        for match, reader in readers:
            if match(path.lower()):
                return reader
    return None


def parse_manifest(path: str, text: str) -> Parsed:
    """What one file declares; an unknown file declares nothing (may raise on bad input)."""
    reader = reader_for(path)
    return reader(path, tame_whitespace(text)) if reader else Parsed()


# Longest run of whitespace a reader sees: deeper than any real indentation.
MAX_WHITESPACE_RUN = 64
_RUN = re.compile(r"\s{2,}")


def tame_whitespace(text: str) -> str:
    r"""``text`` with blank lines dropped and each run of whitespace cut to 64 characters
    (a line break keeps the indentation of the line it leads to).

    The readers' patterns say ``^\s*`` and ``\s*\(?\s*``: over thousands of blank lines
    or spaces a regular expression backtracks quadratically or worse (a 5 KB workflow
    of newlines took hours), holding the GIL. No format we read means anything by a
    blank line or by more indentation than this, so the meaning stays."""
    def shorter(run: re.Match) -> str:
        spaces = run.group()
        if "\n" in spaces:
            return "\n" + spaces[spaces.rfind("\n") + 1:][:MAX_WHITESPACE_RUN]
        return spaces[:MAX_WHITESPACE_RUN]
    return _RUN.sub(shorter, text)
