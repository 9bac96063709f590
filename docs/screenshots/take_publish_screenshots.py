"""Take the README's pictures of a published portfolio, in headless Chromium.

Imports corpus repositories from the loopback fake GitHub in ``tests/fakes``
(offline analyzer, so the texts are what Repofolio writes without any AI), pins
one, publishes the site with ``core.publish`` and renders ``index.html`` from
``file://`` with the network off, at 1280 px and at 390 px (a phone). Needs
Chromium (``apt-get install chromium``); no display, no Qt.

    python docs/screenshots/take_publish_screenshots.py [FOLDER]

Writes ``publish-1280.png`` and ``publish-390.png`` next to this script, or into
FOLDER (the test of this script uses that).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from core import ordering  # noqa: E402
from core.publish import PublishOptions, publish  # noqa: E402
from core.publish.selection import remember_texts  # noqa: E402
from core.settings import Settings  # noqa: E402
from tasks.runtime import Runtime  # noqa: E402
from tests.fakes.github_server import FakeGitHub  # noqa: E402
from tests.publish.chromium import Chromium, chromium_binary  # noqa: E402

CATALOG = ("pallets/flask", "psf/requests", "encode/httpx", "BurntSushi/ripgrep",
           "spf13/cobra", "expressjs/express", "fastapi/fastapi", "jqlang/jq",
           "serde-rs/serde", "vitejs/vite")
PINNED = "BurntSushi/ripgrep"
TITLE = "Open-source picks"
INTRO = "Ten projects I learn from: web frameworks, HTTP clients and command-line tools."
SHOTS = (("publish-1280.png", 1280, 900), ("publish-390.png", 390, 1100))


def build_site(home: Path, fake: FakeGitHub) -> Path:
    runtime = Runtime(Settings(home=home, github_api=fake.url, analyzer="heuristic"))
    try:
        ids = {}
        for name in CATALOG:
            job = runtime.importer.submit(name)
            runtime.importer.run(job.id)
            ids[name] = type(job).get_by_id(job.id).project_id
        ordering.pin_to_top(ids[PINNED])
        remember_texts("default", title=TITLE, intro=INTRO)
        out = home / "site"
        publish(PublishOptions(out=out))
        return out
    finally:
        runtime.close()


def main() -> int:
    binary = chromium_binary()
    if binary is None:
        print("Chromium is not installed (apt-get install chromium).", file=sys.stderr)
        return 1
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="repofolio-publish-shots-") as folder, \
            FakeGitHub() as fake:
        fake.rate_limit = fake.rate_remaining = 5000
        site = build_site(Path(folder), fake)
        with Chromium(binary) as browser:
            for name, width, height in SHOTS:
                browser.viewport(width, height)
                browser.open((site / "index.html").as_uri())
                browser.screenshot(target / name)
    print("Saved:", *(str(target / name) for name, _, _ in SHOTS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
