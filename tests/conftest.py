"""Shared fixtures: every test gets its own data folder; fake servers come as plugins."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["tests.fakes.github_server", "tests.fakes.openai_server"]
