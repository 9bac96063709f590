"""Publishing the showcase (DESIGN §7): a static site, ``PORTFOLIO.md`` and ``portfolio.json``.

``publish(PublishOptions(out=...))`` does it all and returns what ``--json``
prints; ``preview(profile)`` says how many projects would appear and why the
others will not. Nothing here imports Qt.
"""

from core.publish.options import ALL_FORMATS, DEFAULT_BRANCH, PublishOptions, formats_of
from core.publish.publisher import PublishResult, publish
from core.publish.selection import Preview, preview

__all__ = ["ALL_FORMATS", "DEFAULT_BRANCH", "Preview", "PublishOptions", "PublishResult",
           "formats_of", "preview", "publish"]
