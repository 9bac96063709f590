"""Choosing the analyzer from Settings, and running a whole analysis in one call."""

from __future__ import annotations

import logging
from collections.abc import Callable

from core.analysis.heuristic import HeuristicAnalyzer
from core.analysis.techstack import detect_stack
from core.analysis.types import Analysis, Analyzer
from core.github.snapshot import RepoSnapshot
from core.settings import Settings
from core.urls import without_credentials

log = logging.getLogger(__name__)


def make_analyzer(settings: Settings) -> Analyzer:
    """The OpenAI-compatible analyzer when configured with a key, else the offline one."""
    offline = HeuristicAnalyzer()
    if not settings.use_openai:
        return offline
    if not settings.openai_api_key:
        log.warning("REPOFOLIO_ANALYZER asks for the AI model but no OPENAI_API_KEY is set; "
                    "using the offline analyzer")
        return offline
    # Imported here: the openai package takes over a second to import, and the command
    # line must answer at once when no AI is configured.
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
