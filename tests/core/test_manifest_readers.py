"""Each ecosystem's manifest reader, through detect_stack, on small hand-written files.

The files below are written in the shape real projects use (workspace layouts, test
scopes, version catalogs, templated YAML); nothing here is executed by the readers.
"""

from __future__ import annotations

import pytest

from core.analysis.manifests import Kind, parse_manifest
from core.analysis.techstack import detect_stack
from core.github.snapshot import RepoSnapshot, TreeEntry


def stack(manifests: dict[str, str], tree: list[str] = (), name: str = "me/app", readme: str = "",
          languages: dict[str, int] | None = None):
    paths = set(tree) | set(manifests)
    return detect_stack(RepoSnapshot(github_id=1, full_name=name, manifests=manifests, readme=readme,
                                     languages=languages or {},
                                     tree=[TreeEntry(p, "blob") for p in sorted(paths)]))


# -- Python ---------------------------------------------------------------------------

def test_setup_py_is_read_not_run():
    setup = ("import os\nREQUIRES = ['numpy>=1.20', \"torch\"]\nos.system('rm -rf /')\n"
             "setup(name='mingpt', install_requires=REQUIRES,\n"
             "      extras_require={'dev': ['pytest'], 'viz': ['matplotlib']},\n"
             "      tests_require=['hypothesis'])\n")
    result = stack({"setup.py": setup})
    assert result.frameworks == ["PyTorch", "NumPy", "Matplotlib"]  # matplotlib: an optional extra
    assert {"pytest", "setuptools"} <= set(result.tools)


def test_conda_environment_and_requirements_folders():
    env = ("name: course\nchannels: [conda-forge]\ndependencies:\n  - python=3.10\n  - pip\n"
           "  - py-xgboost=1.7\n  - scikit-learn=1.3\n  - pip:\n    - tensorflow~=2.14\n")
    result = stack({"environment.yml": env, "requirements/base.txt": "Django>=5\nrequests\n",
                    "requirements/dev.txt": "-r base.txt\npytest-django\n"})
    assert result.frameworks[:2] == ["TensorFlow", "Django"]  # frameworks; the root file first
    assert {"XGBoost", "scikit-learn", "Requests"} <= set(result.frameworks)
    assert {"Conda", "pytest"} <= set(result.tools)


def test_a_python_package_s_requirements_are_dev_pins():
    result = stack({"pyproject.toml": '[project]\nname = "lib"\ndependencies = ["attrs"]\n',
                    "requirements.txt": "Django==5.0\n"})
    assert result.frameworks == ["attrs"]


# -- JavaScript / TypeScript ----------------------------------------------------------

def test_monorepo_packages_rank_frameworks_then_shared_libraries():
    root = '{"name": "shop", "private": true, "workspaces": ["client", "server"],' \
           ' "devDependencies": {"concurrently": "^8"}}'
    client = '{"dependencies": {"react": "^18", "axios": "^1", "left-pad": "^1"},' \
             ' "devDependencies": {"webpack": "^5", "@types/react": "^18"}}'
    server = '{"dependencies": {"express": "^4", "mongoose": "^8", "axios": "^1"}}'
    result = stack({"package.json": root, "client/package.json": client, "server/package.json": server})
    assert result.frameworks == ["React", "Express", "Axios", "Mongoose", "left-pad"]
    assert {"MongoDB", "Node.js", "webpack"} <= set(result.tools)
    assert "concurrently" not in result.names()  # a dev dependency the tables do not know


# -- Go, Rust, Ruby, PHP, Elixir, Dart ---------------------------------------------------

def test_go_direct_requirements_under_their_module_path():
    gomod = ("module github.com/me/app\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.1\n"
             "\tgithub.com/mattn/go-sqlite3 v1.14.0\n\tgithub.com/fatih/color v1.16.0\n"
             "\tgolang.org/x/crypto v0.20.0\n\tgoogle.golang.org/grpc v1.60.0 // indirect\n)\n")
    result = stack({"go.mod": gomod})
    assert result.frameworks == ["Gin", "go-sqlite3", "fatih/color", "x/crypto"]
    assert "SQLite" in result.tools and "gRPC" not in result.names()


def test_cargo_workspace_members_and_path_crates_are_the_repository_s_own():
    root = ('[workspace]\nmembers = ["crates/core", "crates/cli"]\n[workspace.dependencies]\n'
            'serde = "1"\n')
    cli = ('[package]\nname = "app-cli"\n[dependencies]\ncore = { path = "../core", version = "0.1" }\n'
           'ratatui = "0.26"\nsysinfo = "0.30"\n[dev-dependencies]\ninsta = "1"\n')
    result = stack({"Cargo.toml": root, "crates/cli/Cargo.toml": cli})
    assert result.frameworks == ["Ratatui", "Serde", "sysinfo"]
    assert "core" not in result.names() and "insta" in result.tools


def test_a_gemfile_that_defers_to_its_gemspec_holds_development_gems():
    gemfile = "source 'https://rubygems.org'\ngemspec\ngem 'puma'\ngem 'rubocop'\n"
    gemspec = "Gem::Specification.new 'tiny' do |s|\n  s.add_dependency 'rack', '~> 3'\nend\n"
    result = stack({"Gemfile": gemfile, "tiny.gemspec": gemspec})
    assert result.frameworks == ["Rack"] and "RuboCop" in result.tools
    app = stack({"Gemfile": "gem 'rails'\ngem 'pg'\ngroup :test do\n  gem 'capybara'\nend\n"})
    assert app.frameworks == ["Ruby on Rails", "pg"] and {"PostgreSQL", "Capybara"} <= set(app.tools)


def test_composer_skips_php_and_extensions():
    result = stack({"composer.json": '{"require": {"php": "^8.2", "ext-json": "*", '
                                     '"laravel/framework": "^11", "spatie/laravel-data": "^4"},'
                                     ' "require-dev": {"pestphp/pest": "^2"}}'})
    assert result.frameworks == ["Laravel", "spatie/laravel-data"] and "Pest" in result.tools


def test_mix_deps_only_from_the_deps_function():
    mix = ('defmodule App.MixProject do\n  def project do\n    [app: :app, deps: deps()]\n  end\n'
           '  def start(_, _), do: {:ok, "not a dep"}\n'
           '  defp deps do\n    [\n      {:phoenix, "~> 1.7"},\n      {:ecto_sql, "~> 3.10"},\n'
           '      {:postgrex, ">= 0.0.0"},\n      {:credo, "~> 1.7", only: [:dev, :test], runtime: false},\n'
           '      {:esbuild, "~> 0.8", runtime: Mix.env() == :dev},\n      {:sibling, in_umbrella: true}\n'
           '    ]\n  end\nend\n')
    result = stack({"mix.exs": mix})
    assert result.frameworks == ["Phoenix", "Ecto", "Postgrex"]
    assert {"PostgreSQL", "Credo", "esbuild", "Mix"} <= set(result.tools)
    assert "ok" not in {n.lower() for n in result.names()}


def test_pubspec_flutter_sdk_is_flutter():
    pubspec = ("name: app\ndependencies:\n  flutter:\n    sdk: flutter\n  provider: ^6.0.0\n"
               "  intl: ^0.19.0\ndev_dependencies:\n  flutter_test:\n    sdk: flutter\n"
               "  flutter_lints: ^3.0.0\n")
    result = stack({"pubspec.yaml": pubspec})
    assert result.frameworks == ["Flutter", "Provider", "intl"] and "flutter_lints" in result.tools


# -- JVM ------------------------------------------------------------------------------

CATALOG = """[versions]\nroom = "2.6.1"\n[libraries]
room-runtime = { group = "androidx.room", name = "room-runtime", version.ref = "room" }
retrofit = { module = "com.squareup.retrofit2:retrofit", version = "2.11.0" }
hilt-android = { group = "com.google.dagger", name = "hilt-android", version = "2.51" }
junit = "junit:junit:4.13.2"
[plugins]
android-application = { id = "com.android.application", version = "8.4.0" }
"""
APP_GRADLE = """plugins {
    alias(libs.plugins.android.application)
}
android { buildFeatures { compose = true } }
dependencies {
    implementation(libs.room.runtime)
    implementation(libs.retrofit)
    implementation(libs.hilt.android)
    implementation("io.coil-kt:coil-compose:2.6.0")
    testImplementation(libs.junit)
    // implementation("com.example:commented-out:1.0")
}
"""


def test_android_app_with_a_version_catalog():
    result = stack({"gradle/libs.versions.toml": CATALOG, "app/build.gradle.kts": APP_GRADLE,
                    "settings.gradle.kts": 'rootProject.name = "Shelf"\ninclude(":app")\n'})
    assert result.frameworks == ["Android", "Jetpack Compose", "Room", "Retrofit", "Hilt", "Coil"]
    assert {"Gradle", "JUnit"} <= set(result.tools) and "commented-out" not in result.names()


def test_pom_scopes_parent_and_no_dtd():
    pom = ("<project xmlns='http://maven.apache.org/POM/4.0.0'><artifactId>api</artifactId>"
           "<parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent"
           "</artifactId></parent><dependencies>"
           "<dependency><groupId>org.springframework.boot</groupId><artifactId>"
           "spring-boot-starter-data-jpa</artifactId></dependency>"
           "<dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId></dependency>"
           "<dependency><groupId>org.testcontainers</groupId><artifactId>junit-jupiter</artifactId>"
           "<scope>test</scope></dependency></dependencies></project>")
    result = stack({"pom.xml": pom})
    assert result.frameworks[:2] == ["Spring Boot", "Spring Data JPA"]
    assert {"PostgreSQL", "Testcontainers", "Maven"} <= set(result.tools)
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><project>&a;</project>'
    with pytest.raises(ValueError):
        parse_manifest("pom.xml", bomb)


# -- Apple, .NET ----------------------------------------------------------------------

def test_package_swift_test_only_packages_are_dev():
    manifest = ('// swift-tools-version: 5.9\nimport PackageDescription\nlet package = Package(\n'
                '  name: "Notes",\n  platforms: [.iOS(.v17)],\n  dependencies: [\n'
                '    .package(url: "https://github.com/pointfreeco/swift-composable-architecture", from: "1.0.0"),\n'
                '    .package(url: "https://github.com/nalexn/ViewInspector.git", from: "0.9.0"),\n  ],\n'
                '  targets: [\n    .target(name: "Notes", dependencies: [.product(name: "ComposableArchitecture",'
                ' package: "swift-composable-architecture")]),\n'
                '    .testTarget(name: "NotesTests", dependencies: [.product(name: "ViewInspector",'
                ' package: "ViewInspector")]),\n  ]\n)\n')
    result = stack({"Package.swift": manifest}, ["Notes.xcodeproj/project.pbxproj", "Notes/ContentView.swift"],
                   readme="A notes app built with SwiftUI and SwiftData.", languages={"Swift": 100})
    assert result.frameworks == ["The Composable Architecture", "iOS", "SwiftUI", "SwiftData"]
    assert {"ViewInspector", "Xcode", "Swift Package Manager"} <= set(result.tools)


def test_csproj_sdk_packages_and_test_projects():
    api = ('<Project Sdk="Microsoft.NET.Sdk.Web"><ItemGroup>'
           '<PackageReference Include="Microsoft.EntityFrameworkCore.Sqlite" Version="8.0.0" />'
           '<PackageReference Include="Serilog.Sinks.Console" Version="5.0.0" />'
           '<PackageReference Include="Humanizer" Version="2.14.1" /></ItemGroup></Project>')
    tests = ('<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="xunit" />'
             '<PackageReference Include="Moq" /></ItemGroup></Project>')
    result = stack({"src/Api/Api.csproj": api, "src/Api.UnitTests/Api.UnitTests.csproj": tests})
    assert result.frameworks == ["ASP.NET Core", "Entity Framework Core", "Serilog", "Humanizer"]
    assert {"SQLite", "xUnit", "Moq", ".NET"} <= set(result.tools)


# -- C / C++ ----------------------------------------------------------------------------

def test_cmake_vcpkg_conan_meson_and_configure():
    cmake = ("project(viewer CXX)\nfind_package(Qt6 REQUIRED COMPONENTS Widgets)\n"
             "find_package(Threads)\n# find_package(Boost)\nFetchContent_Declare(fmt GIT_REPOSITORY x)\n"
             "pkg_check_modules(AV REQUIRED libavformat libavcodec>=58)\nenable_testing()\n"
             "find_package(GTest)\n")
    result = stack({"CMakeLists.txt": cmake, "vcpkg.json": '{"name": "viewer", "dependencies":'
                    ' ["spdlog", {"name": "vcpkg-cmake", "host": true}]}',
                    "conanfile.txt": "[requires]\nzlib/1.3\n[tool_requires]\ncmake/3.27\n",
                    "meson.build": "project('viewer', 'c')\ndep = dependency('sdl2')\n",
                    "configure.ac": "AC_INIT([viewer])\nPKG_CHECK_MODULES([GTK], [gtk+-3.0 >= 3.22])\n"
                                    "AC_CHECK_LIB([m], [sin])\nAC_PROG_YACC\n"})
    assert result.frameworks == ["Qt", "GTK", "SDL", "fmt", "FFmpeg", "zlib", "spdlog"]
    assert {"CMake", "CTest", "GoogleTest", "vcpkg", "Conan", "Meson", "Autotools", "Bison"} <= set(result.tools)
    assert "Boost" not in result.names() and "m" not in result.names()


def test_dockerfile_configure_flags_name_bundled_libraries():
    dockerfile = ("FROM debian:12 AS builder\nRUN ./configure --disable-docs \\\n"
                  "      --with-oniguruma=builtin \\\n      --with-pic --without-x\n"
                  "FROM nginx:alpine\n")
    result = stack({"Dockerfile": dockerfile})
    assert result.frameworks == ["Oniguruma"] and {"Docker", "Nginx"} <= set(result.tools)


# -- containers and CI ----------------------------------------------------------------

def test_compose_services_and_templated_yaml():
    compose = ("services:\n  db:\n    image: postgres:16-alpine\n  cache:\n    image: redis:7\n"
               "  web:\n    build: .\nvolumes:\n  data:\n    name: {{project_name}}_data\n")
    assert {"Docker", "PostgreSQL", "Redis"} <= set(stack({"docker-compose.yml": compose}).tools)


def test_workflow_services_actions_and_commands():
    workflow = ("on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    services:\n"
                "      mongo:\n        image: mongo:7\n    steps:\n      - uses: actions/checkout@v4\n"
                "      - uses: codecov/codecov-action@v4\n      - run: |\n          npm ci\n"
                "          npx playwright test && cargo clippy\n")
    result = stack({".github/workflows/ci.yml": workflow})
    assert {"MongoDB", "GitHub Actions", "Codecov", "Playwright", "Clippy"} <= set(result.tools)


def test_other_ci_systems():
    gitlab = "image: python:3.12\nservices:\n  - postgres:15\ntest:\n  script:\n    - pytest -q\n"
    travis = "language: ruby\nservices:\n  - redis-server\n"
    circle = "version: 2.1\njobs:\n  test:\n    docker:\n      - image: cimg/ruby:3.3\n      - image: cimg/mysql:8.0\n"
    result = stack({".gitlab-ci.yml": gitlab, ".travis.yml": travis, ".circleci/config.yml": circle})
    assert {"GitLab CI", "PostgreSQL", "pytest", "Travis CI", "Redis", "CircleCI", "MySQL"} <= set(result.tools)


@pytest.mark.parametrize("path", ["setup.py", "mix.exs", "Package.swift", "build.gradle",
                                  "CMakeLists.txt", "conanfile.py", "project.pbxproj", "Podfile",
                                  "x.csproj", "pubspec.yaml", "docker-compose.yml", "vcpkg.json"])
def test_readers_raise_or_return_on_garbage_and_detection_survives(path):
    for text in ("", "\x00\xff{[(", "{{{{", "<Project Sdk=", "deps do {:x,"):
        try:
            parse_manifest(path, text)
        except Exception:
            pass
        detect_stack(RepoSnapshot(github_id=1, full_name="o/r", manifests={path: text}))


def test_kinds_are_reported():
    parsed = parse_manifest("package.json", '{"dependencies": {"a": "1"}, "devDependencies": {"b": "1"}}')
    assert [(d.name, d.kind) for d in parsed.deps] == [("a", Kind.RUNTIME), ("b", Kind.DEV)]


def test_a_dependency_the_readme_names_ranks_before_other_unknown_ones():
    names = [f"crate{i:02d}" for i in range(14)] + ["syntect"]
    cargo = "[package]\nname = \"viewer\"\n[dependencies]\n" + "".join(f'{n} = "1"\n' for n in names)
    shown = stack({"Cargo.toml": cargo}).frameworks
    assert "syntect" not in shown and len(shown) == 12  # the cap keeps declaration order
    readme = "Syntax highlighting comes from syntect, with Sublime Text themes."
    assert stack({"Cargo.toml": cargo}, readme=readme).frameworks[0] == "syntect"
