"""Putting a publish's files in place: all of them at once, or none.

The files are written into a new folder beside DIR, which then takes DIR's
place (two renames in the same parent folder). A failure at any point leaves
DIR as it was; an output identical to what DIR holds is not rewritten at all.

DIR holds exactly what the last publish wrote, so a project that has since
become private or hidden loses its page. That is why a folder holding anything
else (a git checkout, someone's documents) is refused rather than replaced;
only a ``CNAME`` file (GitHub Pages' custom domain) is carried over.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from core.errors import InvalidInput
from core.publish.errors import WriteFailed

WRITTEN = frozenset({"index.html", "style.css", "projects", "portfolio.json", "PORTFOLIO.md"})
CARRIED = ("CNAME",)


def foreign_entries(out: Path) -> list[str]:
    """What ``out`` holds that no publish writes (empty for a new or earlier output folder)."""
    if not out.is_dir():
        return []
    found = []
    for entry in sorted(out.iterdir(), key=lambda p: p.name):
        if entry.name in CARRIED and entry.is_file():
            continue
        if entry.name not in WRITTEN or entry.is_symlink():
            found.append(entry.name)
        elif entry.name == "projects":
            if not entry.is_dir():
                found.append(entry.name)
            else:
                found += [f"projects/{p.name}" for p in sorted(entry.iterdir())
                          if p.suffix != ".html" or not p.is_file() or p.is_symlink()]
        elif not entry.is_file():
            found.append(entry.name)
    return found


def check_output_folder(out: Path) -> None:
    foreign = foreign_entries(out)
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3
                                          else "")
        raise InvalidInput(f"{out} holds files Repofolio did not write ({shown}).",
                           suggestion="Publish into a new or empty folder: each publish "
                                      "replaces the whole folder.")


def read_folder(out: Path) -> dict[str, bytes]:
    """The files a publish wrote into ``out`` (relative POSIX path -> bytes)."""
    files: dict[str, bytes] = {}
    if not out.is_dir():
        return files
    for path in out.rglob("*"):
        relative = path.relative_to(out).as_posix()
        if path.is_file() and relative not in CARRIED:
            files[relative] = path.read_bytes()
    return files


def previous_generated_at(out: Path) -> str | None:
    """``generated_at`` of the portfolio.json in ``out``, if there is a readable one."""
    try:
        value = json.loads((out / "portfolio.json").read_text(encoding="utf-8"))["generated_at"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return value if isinstance(value, str) else None


def _problem(error: OSError, out: Path) -> WriteFailed:
    reason = error.strerror or type(error).__name__
    return WriteFailed(f"Cannot write the portfolio to {out}: {reason}.",
                       suggestion="Choose a folder you can write to (Repofolio also needs to "
                                  f"write in {out.parent}, to swap the new folder in at once).")


def replace_folder(out: Path, files: dict[str, bytes],
                   existing: dict[str, bytes] | None = None) -> bool:
    """Make ``out`` hold exactly ``files``; False when it already did (nothing written).
    ``existing``: what ``read_folder(out)`` gave, if the caller has read it already."""
    if (read_folder(out) if existing is None else existing) == files:
        return False
    temporary: Path | None = None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(prefix=f".{out.name}.publishing-", dir=out.parent))
        for relative, data in files.items():
            target = temporary / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        for name in CARRIED:
            if (out / name).is_file():
                shutil.copy2(out / name, temporary / name)
        # mkdtemp makes the folder private (0700); a site must be readable by a web server.
        os.chmod(temporary, (out.stat().st_mode & 0o7777) if out.is_dir() else 0o755)
        _swap_in(temporary, out)
        temporary = None
    except OSError as error:
        raise _problem(error, out) from error
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
    return True


def _swap_in(new: Path, out: Path) -> None:
    if not out.exists():
        os.rename(new, out)
        return
    old = new.with_name(new.name + "-previous")  # unique, as ``new`` is
    os.rename(out, old)
    try:
        os.rename(new, out)
    except OSError:
        os.rename(old, out)  # put the previous output back
        raise
    shutil.rmtree(old, ignore_errors=True)
