"""Tech-stack detection over the 15 real repositories of the corpus, and broken input."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.analysis.techstack import detect_stack, parse_manifest
from core.github.snapshot import RepoSnapshot, TreeEntry
from tests.fakes import corpus

# folder: (first language, names that must appear, names that must not appear)
EXPECTED = {
    "BurntSushi__ripgrep": ("Rust", {"Cargo", "GitHub Actions", "Serde"}, {"Ripgrep"}),
    "coleifer__huey": ("Python", {"GitHub Actions", "Read the Docs", "Sphinx", "setuptools"},
                       {"Huey", "Docker"}),  # its only Dockerfile is under examples/
    "encode__httpx": ("Python", {"Hatch", "MkDocs", "Dependabot", "pytest", "Ruff", "AnyIO"},
                      {"HTTPX", "Uvicorn", "Trio"}),  # dev pins are not frameworks
    "expressjs__express": ("JavaScript", {"npm", "ESLint", "Mocha", "GitHub Actions"}, {"Express"}),
    "fastapi__fastapi": ("Python", {"Starlette", "Pydantic", "pre-commit", "PDM", "MkDocs"},
                         {"FastAPI"}),
    "google__gson": ("Java", {"Maven", "JUnit", "GitHub Actions", "Dependabot"},
                     {"Gson", "Jackson", "Android"}),  # Jackson only in the metrics module
    "gorilla__mux": ("Go", {"Go modules", "Make", "GitHub Actions"}, {"gorilla/mux", "Makefile"}),
    "guzzle__guzzle": ("PHP", {"Composer", "PHPUnit", "Docker", "Make", "PHPStan"}, {"Guzzle"}),
    "jqlang__jq": ("C", {"Docker", "Autotools", "GitHub Actions"},
                   {"Jq", "Jinja"}),  # Jinja only builds its docs (docs/Pipfile)
    "pallets__flask": ("Python", {"Click", "Jinja", "Werkzeug", "GitHub Actions", "pre-commit",
                                  "Sphinx", "Read the Docs", "Ruff", "tox"}, {"Flask"}),
    "psf__requests": ("Python", {"setuptools", "tox", "pytest", "Make", "pre-commit"}, {"Requests"}),
    "serde-rs__serde": ("Rust", {"Cargo", "GitHub Actions"}, {"Serde"}),
    "sinatra__sinatra": ("Ruby", {"Rack", "Bundler", "Rake", "RuboCop"}, {"Sinatra"}),
    "spf13__cobra": ("Go", {"Go modules", "golangci-lint", "Make", "Dependabot"}, {"Cobra"}),
    "vitejs__vite": ("TypeScript", {"pnpm", "Vitest", "ESLint", "GitHub Actions", "Playwright"},
                     {"Vite", "npm", "Vue"}),  # Vue is only in docs/package.json
}
FILE_NAME = re.compile(r"(?i)\.(json|toml|ya?ml|txt|lock|xml|cfg|ini|gradle|kts|mod|gemspec)$|"
                       r"^(dockerfile|makefile|gemfile|pipfile|rakefile|cmakelists)|^\.|/$")


def test_the_table_covers_the_whole_corpus():
    assert sorted(EXPECTED) == corpus.names()


@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_corpus_repository_stack(folder):
    first_language, present, absent = EXPECTED[folder]
    stack = detect_stack(corpus.snapshot(folder))
    names = stack.names()
    assert stack.languages[0] == first_language
    assert present <= set(names), present - set(names)
    assert not absent & set(names)


@pytest.mark.parametrize("folder", corpus.names())
def test_stack_is_display_names_only_without_duplicates(folder):
    snap = corpus.snapshot(folder)
    stack = detect_stack(snap)
    names = stack.names()
    assert not [n for n in names if FILE_NAME.search(n)]
    assert not {n.lower() for n in names} & {p.rsplit("/", 1)[-1].lower() for p in snap.manifests}
    assert len({n.lower() for n in names}) == len(names)
    assert len(stack.languages) <= 6 and len(stack.frameworks) <= 12 and len(stack.tools) <= 12


def test_languages_drop_tiny_ones_and_build_files():
    assert detect_stack(corpus.snapshot("gorilla__mux")).languages == ["Go"]  # Makefile 0.4 %
    jq = detect_stack(corpus.snapshot("jqlang__jq")).languages
    assert jq[:3] == ["C", "Shell", "M4"] and "Makefile" not in jq and "Dockerfile" not in jq
    vite = detect_stack(corpus.snapshot("vitejs__vite")).languages
    assert vite == ["TypeScript", "JavaScript", "HTML", "CSS"]  # TSX (0.5 %) and smaller dropped


@given(st.dictionaries(st.sampled_from(["Python", "C", "Go", "Rust", "Shell", "HTML", "Lua",
                                        "Ruby", "Java", "Makefile", "TeX"]),
                       st.integers(min_value=0, max_value=10**7)))
@settings(max_examples=60, deadline=None)
def test_languages_are_top_by_bytes_and_at_least_one_percent(languages):
    snap = RepoSnapshot(github_id=1, full_name="o/r", languages=languages)
    result = detect_stack(snap).languages
    counted = {k: v for k, v in languages.items() if k != "Makefile"}
    total = sum(counted.values())
    assert len(result) <= 6 and "Makefile" not in result
    assert all(counted[name] / total >= 0.01 for name in result)
    assert [counted[n] for n in result] == sorted((counted[n] for n in result), reverse=True)


def test_detection_is_deterministic_whatever_the_manifest_order():
    snap = corpus.snapshot("sinatra__sinatra")
    reordered = replace(snap, manifests=dict(reversed(list(snap.manifests.items()))))
    assert detect_stack(snap) == detect_stack(reordered) == detect_stack(snap)


BROKEN = ["", "\x00\xff garbage [[[", "{", "[1, 2, 3]", '{"dependencies": [1, 2]}',
          '{"dependencies": "react", "engines": 5, "packageManager": 7}',
          "[project]\ndependencies = 5\n[tool]\n", "project = [1]\n", "tool = 5\n",
          "[dependencies]\nserde = 5\n[target]\nx = 1\n", "<dependency><groupId>",
          "[options]\ninstall_requires =\n  [broken\n[[", "module\nrequire (\n"]
MANIFEST_NAMES = ["pyproject.toml", "requirements.txt", "setup.cfg", "Pipfile", "package.json",
                  "go.mod", "Cargo.toml", "Gemfile", "x.gemspec", "pom.xml", "build.gradle",
                  "composer.json", "sub/package.json"]


@pytest.mark.parametrize("content", BROKEN)
def test_broken_manifests_never_raise_and_tree_tools_still_count(content):
    snap = RepoSnapshot(github_id=1, full_name="o/r", languages={"Python": 10},
                        manifests={name: content for name in MANIFEST_NAMES},
                        tree=[TreeEntry("Dockerfile", "blob"), TreeEntry(".github/workflows/ci.yml", "blob")])
    stack = detect_stack(snap)
    assert {"Docker", "GitHub Actions"} <= set(stack.tools)


@given(st.dictionaries(st.sampled_from(MANIFEST_NAMES), st.text(max_size=300), max_size=5))
@settings(max_examples=80, deadline=None)
def test_arbitrary_manifest_text_never_raises(manifests):
    detect_stack(RepoSnapshot(github_id=1, full_name="o/r", manifests=manifests))


def _stack(manifests: dict[str, str], tree: list[str] = (), name: str = "o/app"):
    return detect_stack(RepoSnapshot(github_id=1, full_name=name, manifests=manifests,
                                     tree=[TreeEntry(p, "blob") for p in tree]))


def test_requirements_of_an_application_are_its_frameworks():
    stack = _stack({"requirements.txt": "Django==5.0  # web\n-r base.txt\ncelery[redis]>=5\n"
                                        "numpy ; python_version > '3.9'\n"})
    assert stack.frameworks == ["Django", "Celery", "NumPy"]


def test_poetry_groups_and_build_backend():
    stack = _stack({"pyproject.toml": '[tool.poetry]\nname = "app"\n[tool.poetry.dependencies]\n'
                                      'python = "^3.11"\nfastapi = "*"\nPySide6 = "*"\n'
                                      '[tool.poetry.group.dev.dependencies]\npytest = "*"\n'
                                      'pandas = "*"\n[build-system]\n'
                                      'requires = ["poetry-core"]\n'})
    assert stack.frameworks == ["FastAPI", "Qt"]  # pandas is a dev dependency only
    assert {"pytest", "Poetry"} <= set(stack.tools)


def test_ruby_groups_hold_development_gems():
    gemfile = ("source 'https://rubygems.org'\ngem 'rails', '~> 7'\ngroup :test do\n"
               "  if ENV['CI']\n    gem 'puma'\n  end\n  gem 'rspec'\nend\ngem 'sidekiq'\n"
               "gem 'local', path: 'local'\n")
    stack = _stack({"Gemfile": gemfile}, ["Gemfile"])
    assert stack.frameworks == ["Ruby on Rails", "Sidekiq"]
    assert {"RSpec", "Bundler"} <= set(stack.tools)


def test_go_major_versions_jvm_scopes_and_php_dev_requirements():
    go = _stack({"go.mod": "module example.com/app\n\ngo 1.22\n\nrequire (\n"
                           "\tgithub.com/labstack/echo/v4 v4.11.0\n"
                           "\tgithub.com/stretchr/testify v1.9.0\n"
                           "\tgithub.com/gin-gonic/gin v1.9.0 // indirect\n)\n"})
    assert go.frameworks == ["Echo"] and "Testify" in go.tools  # indirect = transitive: not shown
    pom = ("<project><artifactId>app</artifactId><dependencies>"
           "<dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web"
           "</artifactId></dependency><dependency><groupId>org.junit.jupiter</groupId>"
           "<artifactId>junit-jupiter</artifactId><scope>test</scope></dependency>"
           "</dependencies></project>")
    jvm = _stack({"pom.xml": pom}, ["pom.xml"])
    assert jvm.frameworks == ["Spring Boot"] and {"JUnit", "Maven"} <= set(jvm.tools)
    php = _stack({"composer.json": '{"name": "me/app", "require": {"php": "^8", "laravel/framework":'
                                   ' "^11"}, "require-dev": {"phpunit/phpunit": "^10"}}'})
    assert php.frameworks == ["Laravel"] and "PHPUnit" in php.tools


def test_own_and_workspace_packages_are_not_frameworks():
    package = ('{"name": "react", "dependencies": {"react": "^18", "vue": "workspace:*", '
               '"svelte": "file:../s"},'
               ' "devDependencies": {"typescript": "^5", "next": "^14"}}')
    stack = _stack({"package.json": package, "packages/x/Cargo.toml":
                    '[package]\nname = "x"\n[dependencies]\ntokio = { path = "../tokio" }\n'},
                   ["package.json", "yarn.lock"], name="facebook/react")
    assert stack.frameworks == ["Next.js"]
    assert "TypeScript" in stack.tools and "Yarn" in stack.tools and "npm" not in stack.tools
    angular = _stack({"package.json": '{"name": "@angular/core", "peerDependencies": '
                                      '{"@angular/core": "^17", "express": "^4"}}'}, name="o/ng-fork")
    assert angular.frameworks == ["Express"]  # its own package, whatever its display name
    serde = _stack({"Cargo.toml": '[package]\nname = "serde-extras"\n[dependencies]\n'
                                  'serde_json = "1"\ntokio = "1"\n'}, name="o/serde")
    assert serde.frameworks == ["Tokio"]  # no "Serde" in a repository called serde


def test_infrastructure_files_become_tools():
    stack = _stack({}, ["infra/main.tf", "charts/app/Chart.yaml", "k8s/deployment.yaml",
                        "docker-compose.yml", "Makefile", "CMakeLists.txt", "sub/dir/deep/Makefile",
                        "examples/Dockerfile.dev"])
    assert stack.tools == ["Terraform", "Helm", "Kubernetes", "Docker", "CMake", "Make"]  # Make: minor


def test_parse_manifest_reports_own_names():
    assert parse_manifest("Cargo.toml", '[package]\nname = "ripgrep"\n').own == ["ripgrep"]
