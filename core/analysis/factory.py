"""Choosing the analyzer from Settings, and running a whole analysis in one call."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from core.analysis.heuristic import HeuristicAnalyzer
from core.analysis.techstack import detect_stack
from core.analysis.types import Analysis, Analyzer
from core.github.snapshot import RepoSnapshot
from core.settings import Settings
from core.urls import without_credentials

log = logging.getLogger(__name__)
_told_no_key = threading.Event()  # the missing key is said once a process, not per import


def _ai_ready(settings: Settings) -> bool:
    """Whether an AI is asked for and has a key: what :func:`make_analyzer` and
    :func:`configured_name` both go by."""
    return bool(settings.use_openai and settings.openai_api_key)


def configured_name(settings: Settings) -> str:
    """The name of the analyzer :func:`make_analyzer` chooses: ``openai:<model>`` when an
    AI is asked for and has a key, else ``heuristic``."""
    return f"openai:{settings.ai_model}" if _ai_ready(settings) else HeuristicAnalyzer.name


def make_analyzer(settings: Settings) -> Analyzer:
    """The OpenAI-compatible analyzer when configured with a key, else the offline one."""
    offline = HeuristicAnalyzer()
    if not _ai_ready(settings):
        if settings.use_openai and not _told_no_key.is_set():
            _told_no_key.set()
            log.warning("REPOFOLIO_ANALYZER asks for the AI model but no OPENAI_API_KEY is "
                        "set; using the offline analyzer")
        return offline
    # Imported here: the openai package costs ~0.3 s of CPU to import (docs/PERFORMANCE.md,
    # Issue 10), and a process whose analyses are all offline never needs it.
    from core.analysis.openai_analyzer import OpenAIAnalyzer

    log.info("using AI model %s%s", settings.ai_model,
             f" at {without_credentials(settings.openai_base_url)}"
             if settings.openai_base_url else "")
    return OpenAIAnalyzer(settings.openai_api_key, base_url=settings.openai_base_url,
                          model=settings.ai_model, timeout=settings.ai_timeout,
                          max_retries=settings.ai_max_retries, fallback=offline,
                          limits=settings.limits)


def analyze(snapshot: RepoSnapshot, analyzer: Analyzer, *,
            check: Callable[[], None] | None = None) -> Analysis:
    """Detect the tech stack, then let ``analyzer`` write the portfolio text.

    ``check`` (the job's cancel and deadline) reaches analyzers that wait on a
    network (``interruptible``); the offline one is quick and bounded."""
    stack = detect_stack(snapshot)
    if check is not None and getattr(analyzer, "interruptible", False):
        return analyzer.analyze(snapshot, stack, check=check)
    return analyzer.analyze(snapshot, stack)
