"""The desktop window (PySide6). Nothing outside this package imports Qt.

Worker threads reach the window through one path only: ``tasks.events`` ->
:class:`gui.bridge.ProgressBridge` -> queued Qt signals on the GUI thread.

PySide6 6.12.0 drops a reference to ``True`` on every ``emit()`` from Python,
which aborts CPython < 3.12 after a few hundred signals; pyproject.toml keeps
PySide6 below 6.12 and tests/gui/test_bridge.py guards against its return.
"""
