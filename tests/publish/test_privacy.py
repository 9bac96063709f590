"""Privacy by construction (DESIGN §7): only showcased public projects reach any output,
checked by searching every byte of every file (and of the pushed branch) for the others."""

from __future__ import annotations

import io
import subprocess
import tarfile
import urllib.parse

import pytest

from core import catalog
from core.publish import PublishOptions, publish

# Distinctive words of the projects that must not appear (and of their owners).
PRIVATE = dict(title="Qzprivatewidget", description="Qzprivdesc internal payroll tool",
               summary="Qzprivsummary", highlights=["Qzprivhighlight"],
               tech_stack={"languages": ["Python"], "frameworks": ["Qzprivframework"],
                           "tools": []})
HIDDEN = dict(title="Qzhiddenexperiment", description="Qzhiddendesc half-done thing",
              summary="Qzhiddensummary", highlights=["Qzhiddenhighlight"],
              tech_stack={"languages": ["Qzhiddenlang"], "frameworks": [], "tools": []},
              homepage="https://qzhiddenhome.example")


def secrets_of(*fields: dict, full_names: tuple[str, ...]) -> list[str]:
    words = [*full_names, *(n.replace("/", "-") for n in full_names)]
    for f in fields:
        words += [f["title"], f["description"], f["summary"], *f["highlights"]]
        words += [name for group in f["tech_stack"].values() for name in group
                  if name.startswith("Qz")]
        if f.get("homepage"):
            words.append(f["homepage"])
    return [w.lower() for w in words]


def every_byte(folder) -> bytes:
    return b"\n".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def found(secrets: list[str], data: bytes) -> list[str]:
    text = data.decode("utf-8").lower()
    # As written, and as the formats could encode it (HTML entities, URL quoting).
    forms = {s: {s, urllib.parse.quote(s), s.replace(" ", "&#32;")} for s in secrets}
    return [s for s, variants in forms.items() if any(v in text for v in variants)]


@pytest.fixture
def mixed_catalog(add_project):
    add_project("alice/public-tool", title="Publictool", description="Shown to everyone.",
                stars=50)
    add_project("qzsecretorg/qzprivaterepo", is_private=True, stars=900, **PRIVATE)
    add_project("alice/qzhiddenrepo", is_showcase=False, stars=800, **HIDDEN)
    add_project("qzsecretorg/qzhiddenprivate", is_showcase=False, is_private=True,
                **{**HIDDEN, "title": "Qzbothhidden"})
    return secrets_of(PRIVATE, HIDDEN, {**HIDDEN, "title": "Qzbothhidden"},
                      full_names=("qzsecretorg/qzprivaterepo", "alice/qzhiddenrepo",
                                  "qzsecretorg/qzhiddenprivate", "qzsecretorg"))


def test_no_output_byte_names_a_private_or_hidden_project(mixed_catalog, out):
    result = publish(PublishOptions(out=out))
    assert result.projects == 1
    data = every_byte(out)
    assert b"Publictool" in data  # the search does find what is published
    assert found(mixed_catalog, data) == []
    assert sorted(p.name for p in (out / "projects").iterdir()) == [
        next(p for p in result.files if p.startswith("projects/")).split("/")[1]]


def test_include_private_adds_private_ones_and_still_never_hidden_ones(mixed_catalog, out):
    result = publish(PublishOptions(out=out, include_private=True))
    assert result.projects == 2
    data = every_byte(out)
    assert "qzprivatewidget" in found(mixed_catalog, data)  # the test can see a leak
    hidden = [s for s in mixed_catalog if "hidden" in s]
    assert found(hidden, data) == []


def test_a_project_made_private_leaves_the_folder_and_the_branch(add_project, out, tmp_path):
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    add_project("alice/keeper", title="Keeper")
    leaving = add_project("alice/qzleaving", title="Qzleaving", description="Qzleavingdesc")
    publish(PublishOptions(out=out, git_remote=str(remote)))
    assert b"Qzleaving" in every_byte(out)

    catalog.set_flags(leaving.id, private=True)
    result = publish(PublishOptions(out=out, git_remote=str(remote)))
    assert result.commit is not None
    assert found(["qzleaving", "qzleavingdesc"], every_byte(out)) == []
    archive = subprocess.run(["git", "-C", str(remote), "archive", "gh-pages"],
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        pushed = b"\n".join(tar.extractfile(m).read() for m in tar.getmembers() if m.isfile())
    assert b"Keeper" in pushed and found(["qzleaving", "qzleavingdesc"], pushed) == []


def test_the_default_title_never_comes_from_a_private_owner(add_project, out):
    add_project("alice/one", stars=1)
    for n in range(3):  # the owner of most projects, but all of them private
        add_project(f"qzsecretorg/p{n}", is_private=True)
    publish(PublishOptions(out=out))
    assert found(["qzsecretorg"], every_byte(out)) == []
    assert "<h1>alice</h1>" in (out / "index.html").read_text()
