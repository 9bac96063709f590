"""Containers and CI: Dockerfiles (base images, ``./configure --with-X``), compose files
(the services they run), GitHub Actions, GitLab CI, CircleCI, Travis CI and Bitbucket
Pipelines (service containers, notable actions, the tools their commands run)."""

from __future__ import annotations

import re

import yaml

from core.analysis.manifests.base import MAX_YAML_CHARS, Dep, Kind, Parsed, yaml_data
from core.analysis.stack_files import ACTION_TOOLS, COMMAND_TOOLS, IMAGE_TOOLS, TRAVIS_SERVICES

_CONFIGURE_FLAGS = {"pic", "gnu-ld", "sysroot", "gcc", "pkgconfigdir", "bash-completion-dir",
                    "pkgconfig", "included-gettext", "libiconv-prefix", "libintl-prefix"}


def image_tool(image: object) -> str | None:
    """``postgres:16-alpine`` / ``docker.io/library/redis`` / ``bitnami/kafka`` -> a display name."""
    if not isinstance(image, str) or "$" in image.split(":")[0]:
        return None
    name = image.split("@")[0].rsplit(":", 1)[0] if ":" in image.split("/")[-1] else image.split("@")[0]
    parts = name.lower().split("/")
    if "." in parts[0] or ":" in parts[0]:  # a registry host
        parts = parts[1:]
    if parts[:1] == ["library"]:
        parts = parts[1:]
    for candidate in ("/".join(parts), parts[-1] if parts else ""):
        if candidate in IMAGE_TOOLS:
            return IMAGE_TOOLS[candidate]
    return None


def _commands_tools(script: str) -> list[str]:
    found = []
    for line in re.split(r"[\n;]|&&|\|\|", script):
        words = re.sub(r"^\s*(sudo|time|exec|env\s+\S+=\S+)\s+", "", line.strip()).split()
        for size in (3, 2, 1):
            key = " ".join(words[:size]).lower()
            if key in COMMAND_TOOLS:
                found.append(COMMAND_TOOLS[key])
                break
    return found


def dockerfile(path: str, text: str) -> Parsed:
    tools = ["Docker"]
    for image in re.findall(r"(?im)^\s*FROM\s+(?:--\S+\s+)*(\S+)", text):
        if tool := image_tool(image):
            tools.append(tool)
    deps = []  # an Autotools build's "./configure --with-X" names the libraries it builds with
    for call in re.findall(r"\./configure\b((?:[^\n\\]|\\\n|\\.)*)", text):
        deps += [Dep("c", name, Kind.OPTIONAL) for name, value in
                 re.findall(r"--with-([a-z][\w+-]*)(?:=(\S+))?", call)
                 if value != "no" and name not in _CONFIGURE_FLAGS]
    return Parsed(deps, [], tools)


def _lines_fallback(name: str, text: str) -> Parsed:
    """Templated YAML (``{{project_name}}``) does not parse: read its image and uses lines."""
    tools = [name]
    for image in re.findall(r"(?m)^\s*-?\s*image:\s*[\"']?([^\s\"'#]+)", text):
        if tool := image_tool(image):
            tools.append(tool)
    for uses in re.findall(r"(?m)^\s*-?\s*uses:\s*[\"']?([^\s\"'#@]+)", text):
        if uses.lower() in ACTION_TOOLS:
            tools.append(ACTION_TOOLS[uses.lower()])
    return Parsed([], [], tools)


def _tolerant(name: str):
    """A YAML reader that falls back to line patterns when the file is not valid YAML."""
    def wrap(reader):
        def read(path: str, text: str) -> Parsed:
            try:
                return reader(path, text)
            except yaml.YAMLError:
                return _lines_fallback(name, text[:MAX_YAML_CHARS])
        read.__doc__ = reader.__doc__
        return read
    return wrap


@_tolerant("Docker")
def compose(path: str, text: str) -> Parsed:
    data = yaml_data(text)
    services = data.get("services") if isinstance(data, dict) else None
    tools = ["Docker"]
    for service in (services or {}).values() if isinstance(services, dict) else ():
        if isinstance(service, dict) and (tool := image_tool(service.get("image"))):
            tools.append(tool)
    return Parsed([], [], tools)


def _walk_services(job: dict) -> list[str]:
    tools = []
    services = job.get("services")
    if isinstance(services, dict):  # GitHub Actions: name -> {image: ...}
        services = [v.get("image") if isinstance(v, dict) else v for v in services.values()]
    for service in services if isinstance(services, list) else []:
        image = service.get("name") if isinstance(service, dict) else service
        if tool := image_tool(image):
            tools.append(tool)
    container = job.get("container") or job.get("image")
    image = container.get("image") or container.get("name") if isinstance(container, dict) else container
    if tool := image_tool(image):
        tools.append(tool)
    return tools


def _jobs(data: object) -> list[dict]:
    jobs = data.get("jobs") if isinstance(data, dict) else None
    return [job for job in jobs.values() if isinstance(job, dict)] if isinstance(jobs, dict) else []


@_tolerant("GitHub Actions")
def github_workflow(path: str, text: str) -> Parsed:
    tools = ["GitHub Actions"]
    for job in _jobs(yaml_data(text)):
        tools += _walk_services(job)
        for step in job.get("steps") or [] if isinstance(job.get("steps"), list) else []:
            if not isinstance(step, dict):
                continue
            uses = str(step.get("uses") or "").split("@")[0].lower()
            if uses in ACTION_TOOLS:
                tools.append(ACTION_TOOLS[uses])
            elif uses.startswith("docker://") and (tool := image_tool(uses[len("docker://"):])):
                tools.append(tool)
            if isinstance(step.get("run"), str):
                tools += _commands_tools(step["run"])
    return Parsed([], [], tools)


def _script_ci(name: str, data: object, job_keys: tuple[str, ...] = ("script", "before_script")) -> list[str]:
    tools = [name]
    if not isinstance(data, dict):
        return tools
    tools += _walk_services(data)
    for value in data.values():
        if isinstance(value, dict):
            tools += _walk_services(value)
            for key in job_keys:
                script = value.get(key)
                lines = script if isinstance(script, list) else [script]
                tools += [t for line in lines if isinstance(line, str) for t in _commands_tools(line)]
    return tools


@_tolerant("GitLab CI")
def gitlab_ci(path: str, text: str) -> Parsed:
    return Parsed([], [], _script_ci("GitLab CI", yaml_data(text)))


@_tolerant("CircleCI")
def circleci(path: str, text: str) -> Parsed:
    tools = ["CircleCI"]
    for job in _jobs(yaml_data(text)):
        for image in job.get("docker") or [] if isinstance(job.get("docker"), list) else []:
            if isinstance(image, dict) and (tool := image_tool(re.sub(r"^cimg/", "", str(image.get("image"))))):
                tools.append(tool)
    return Parsed([], [], tools)


def travis(path: str, text: str) -> Parsed:
    data = yaml_data(text)
    tools = ["Travis CI"]
    services = data.get("services") if isinstance(data, dict) else None
    for service in services if isinstance(services, list) else []:
        if isinstance(service, str) and service.lower() in TRAVIS_SERVICES:
            tools.append(TRAVIS_SERVICES[service.lower()])
    return Parsed([], [], tools)


def bitbucket(path: str, text: str) -> Parsed:
    data = yaml_data(text)
    tools = ["Bitbucket Pipelines"]
    definitions = data.get("definitions") if isinstance(data, dict) else None
    services = definitions.get("services") if isinstance(definitions, dict) else None
    for service in (services or {}).values() if isinstance(services, dict) else ():
        if isinstance(service, dict) and (tool := image_tool(service.get("image"))):
            tools.append(tool)
    return Parsed([], [], tools)


def _is_dockerfile(path: str) -> bool:
    base = path.rsplit("/", 1)[-1]
    return base == "dockerfile" or base.startswith("dockerfile.") or base.endswith(".dockerfile")


def _is_compose(path: str) -> bool:
    base = path.rsplit("/", 1)[-1]
    return re.match(r"(docker-)?compose([.-][\w.-]*)?\.ya?ml$", base) is not None


READERS = [
    (_is_dockerfile, dockerfile),
    (_is_compose, compose),
    (lambda p: p.startswith(".github/workflows/") and p.endswith((".yml", ".yaml")), github_workflow),
    (lambda p: p == ".gitlab-ci.yml", gitlab_ci),
    (lambda p: p == ".circleci/config.yml", circleci),
    (lambda p: p == ".travis.yml", travis),
    (lambda p: p == "bitbucket-pipelines.yml", bitbucket),
]
