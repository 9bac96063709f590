"""Reading GitHub's recursive tree as it streams in, keeping at most N entries.

``json.loads`` of a 500,000-entry tree builds 500,000 dicts (over 500 MB) before
anything can be dropped. :class:`TreeReader` is fed the body piece by piece, decodes
one entry at a time with ``JSONDecoder.raw_decode``, validates it, and keeps it as a
:class:`TreeEntry` until ``max_entries`` are kept; then it says "enough", the rest of
the body is never read, and the tree is marked truncated (as GitHub itself does past
100,000 entries).

The body must be ``{"sha": …, "tree": [ {…}, … ], "truncated": …}`` with the members in
any order. Anything else is GITHUB_ERROR. A value that does not decode yet is tried
again only once the buffer has doubled, so a body dripping in tiny pieces stays linear.
"""

from __future__ import annotations

import codecs
import json

from core.github import validate
from core.github.snapshot import TreeEntry

MAX_VALUE_CHARS = 1_000_000  # one entry or one top-level value; GitHub's are < 1 KB
_WHITESPACE = " \t\n\r"
_decoder = json.JSONDecoder()


class TreeReader:
    """A body sink: ``feed`` decoded bytes (False: enough), then ``result()``."""

    def __init__(self, *, subject: str, max_entries: int):
        self.subject = subject
        self.max_entries = max_entries
        self.entries: list[TreeEntry] = []
        self.truncated = False  # GitHub said so, or we stopped at max_entries
        self._text = codecs.getincrementaldecoder("utf-8")()
        self._buf = ""  # text not parsed yet
        self._incoming: list[str] = []  # text fed since the last parse, joined when parsing
        self._size = 0  # len(_buf) + the lengths in _incoming
        self._retry_at = 0  # do not try to decode again before the buffer is this long
        self._state = "start"
        self._key: str | None = None
        self._seen_tree = False
        self._done = False  # the closing brace was read, or max_entries kept
        self._enough = False  # max_entries kept: the rest is not wanted

    # -- the sink protocol -------------------------------------------------------------

    def feed(self, data: bytes) -> bool:
        """Take the next piece; False once ``max_entries`` are kept (read no further)."""
        try:
            text = self._text.decode(data)
        except UnicodeDecodeError:
            raise validate.invalid(self.subject, "the file tree is not UTF-8 text") from None
        self._incoming.append(text)
        self._size += len(text)
        if self._done and not self._enough:
            if text.strip(_WHITESPACE):  # something after the closing brace
                self._malformed()
            return True
        if self._size >= self._retry_at:
            self._parse(final=False)
        return not self._enough

    def result(self) -> tuple[list[TreeEntry], bool]:
        if not self._done:
            self._parse(final=True)
        if not self._done:
            raise validate.invalid(self.subject, "the file tree ends early (not valid JSON)")
        return self.entries, self.truncated

    # -- parsing -----------------------------------------------------------------------

    def _parse(self, *, final: bool) -> None:
        buf = self._buf + "".join(self._incoming)
        self._incoming.clear()
        pos = 0
        self._retry_at = 0
        try:
            while not self._done:
                pos = _skip(buf, pos)
                if pos >= len(buf):
                    break
                step = self._step(buf, pos, final)
                if step is None:  # needs more data
                    if len(buf) - pos > MAX_VALUE_CHARS:
                        raise validate.invalid(self.subject, "the file tree has an entry or a "
                                               "value that is far too large")
                    self._retry_at = 2 * (len(buf) - pos)
                    break
                pos = step
            if self._done and not self._enough and buf[pos:].strip(_WHITESPACE):
                self._malformed()  # something after the closing brace
        finally:
            self._buf = buf[pos:]
            self._size = len(self._buf)

    def _step(self, buf: str, pos: int, final: bool) -> int | None:
        """Consume one token or value at ``pos``; the new position, or None for "more"."""
        char, state = buf[pos], self._state
        if state == "start":
            self._expect(char, "{")
            self._state = "key_or_end"
            return pos + 1
        if state in ("key_or_end", "comma_or_end"):
            if char == "}":
                return self._finish(pos)
            if state == "comma_or_end":
                self._expect(char, ",")
                self._state = "key"
                return pos + 1
            state = "key"
        if state == "key":
            found = self._value(buf, pos, final)
            if found is None:
                return None
            key, end = found
            if not isinstance(key, str):
                self._malformed()
            self._key, self._state = key, "colon"
            return end
        if state == "colon":
            self._expect(char, ":")
            self._state = "tree_open" if self._key == "tree" else "value"
            return pos + 1
        if state == "tree_open":
            self._expect(char, "[")
            self._seen_tree = True
            self._state = "entry_or_end"
            return pos + 1
        if state in ("entry_or_end", "entry_comma_or_end"):
            if char == "]":
                self._state = "comma_or_end"
                return pos + 1
            if state == "entry_comma_or_end":
                self._expect(char, ",")
                if len(self.entries) >= self.max_entries:  # another entry follows: drop it
                    self.truncated = True
                    self._done = self._enough = True  # the rest of the body is never read
                self._state = "entry"
                return pos + 1
            state = "entry"
        if state == "entry":
            found = self._value(buf, pos, final)
            if found is None:
                return None
            value, end = found
            self.entries.append(validate.tree_entry(value, subject=self.subject,
                                                    index=len(self.entries)))
            self._state = "entry_comma_or_end"
            return end
        if state == "value":
            found = self._value(buf, pos, final)
            if found is None:
                return None
            value, end = found
            if self._key == "truncated":
                self.truncated = self.truncated or value is True
            self._state = "comma_or_end"
            return end
        self._malformed()

    def _value(self, buf: str, pos: int, final: bool) -> tuple[object, int] | None:
        try:
            value, end = _decoder.raw_decode(buf, pos)
        except (ValueError, RecursionError):
            if final:
                self._malformed()
            return None
        # A number or literal at the very end may still be growing ("12" of "123").
        if end >= len(buf) and not final:
            return None
        return value, end

    def _finish(self, pos: int) -> int:
        if not self._seen_tree:
            raise validate.invalid(self.subject, "the file tree answer has no 'tree' list")
        self._done = True
        return pos + 1

    def _expect(self, char: str, wanted: str) -> None:
        if char != wanted:
            self._malformed()

    def _malformed(self):
        raise validate.invalid(self.subject, "the file tree is not valid JSON of the "
                               "expected shape")


def _skip(buf: str, pos: int) -> int:
    while pos < len(buf) and buf[pos] in _WHITESPACE:
        pos += 1
    return pos
