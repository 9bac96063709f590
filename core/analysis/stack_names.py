"""The names tech-stack detection knows: dependency and file names -> display names.

Data only; :mod:`core.analysis.techstack` applies it. Every name a project can
show comes from these tables, so a file name never reaches the result.
"""

from __future__ import annotations

PACKAGE_MANAGERS = {"pnpm", "Yarn", "Bun"}  # any of these makes "npm" redundant


def table(spec: str) -> dict[str, str]:
    """``"key=Display; key=Display"`` -> dict; keeps the tables below compact."""
    pairs = (item.split("=", 1) for item in spec.split(";") if item.strip())
    return {key.strip(): display.strip() for key, display in pairs}


# Dependency name (normalised) -> display name, per ecosystem: (frameworks, tools).
TABLES = {
    "py": (table(
        "flask=Flask; django=Django; fastapi=FastAPI; starlette=Starlette; torch=PyTorch;"
        "tensorflow=TensorFlow; keras=Keras; jax=JAX; scikit-learn=scikit-learn;"
        "transformers=Hugging Face Transformers; pandas=pandas; numpy=NumPy; scipy=SciPy;"
        "polars=Polars; matplotlib=Matplotlib; sqlalchemy=SQLAlchemy; pydantic=Pydantic;"
        "celery=Celery; pyside6=Qt; pyside2=Qt; pyqt5=Qt; pyqt6=Qt; jinja2=Jinja;"
        "werkzeug=Werkzeug; click=Click; typer=Typer; aiohttp=aiohttp; tornado=Tornado;"
        "requests=Requests; httpx=HTTPX; peewee=Peewee; huey=Huey; streamlit=Streamlit;"
        "gradio=Gradio; langchain=LangChain; openai=OpenAI API; anyio=AnyIO; trio=Trio;"
        "redis=Redis; uvicorn=Uvicorn; rich=Rich; textual=Textual; opencv-python=OpenCV;"
        "pygame=Pygame; kivy=Kivy; boto3=AWS SDK"), table(
        "pytest=pytest; tox=tox; nox=Nox; ruff=Ruff; black=Black; flake8=Flake8; mypy=mypy;"
        "pyright=Pyright; sphinx=Sphinx; mkdocs=MkDocs; pre-commit=pre-commit;"
        "coverage=Coverage.py; hypothesis=Hypothesis; setuptools=setuptools; hatchling=Hatch;"
        "poetry-core=Poetry; pdm-backend=PDM; flit-core=Flit; maturin=maturin")),
    "js": (table(
        "react=React; vue=Vue; svelte=Svelte; @angular/core=Angular; express=Express;"
        "next=Next.js; nuxt=Nuxt; @sveltejs/kit=SvelteKit; koa=Koa; fastify=Fastify;"
        "@nestjs/core=NestJS; electron=Electron; react-native=React Native;"
        "tailwindcss=Tailwind CSS; jquery=jQuery; three=Three.js; socket.io=Socket.IO;"
        "redux=Redux; d3=D3.js; vite=Vite; astro=Astro; @tensorflow/tfjs=TensorFlow.js"), table(
        "typescript=TypeScript; vitest=Vitest; jest=Jest; mocha=Mocha; eslint=ESLint;"
        "prettier=Prettier; webpack=webpack; rollup=Rollup; esbuild=esbuild;"
        "playwright-chromium=Playwright; @playwright/test=Playwright; cypress=Cypress;"
        "vitepress=VitePress; storybook=Storybook; lerna=Lerna; turbo=Turborepo; nx=Nx;"
        "@babel/core=Babel")),
    "go": (table(
        "github.com/gin-gonic/gin=Gin; github.com/labstack/echo=Echo;"
        "github.com/spf13/cobra=Cobra; github.com/gorilla/mux=gorilla/mux;"
        "github.com/spf13/viper=Viper; github.com/gofiber/fiber=Fiber; github.com/go-chi/chi=chi;"
        "gorm.io/gorm=GORM; google.golang.org/grpc=gRPC; github.com/urfave/cli=urfave/cli;"
        "github.com/spf13/pflag=pflag"), table("github.com/stretchr/testify=Testify")),
    "rs": (table(
        "tokio=Tokio; serde=Serde; serde_json=Serde; clap=Clap; actix-web=Actix Web; axum=Axum;"
        "rocket=Rocket; reqwest=reqwest; hyper=Hyper; diesel=Diesel; sqlx=SQLx; bevy=Bevy;"
        "tauri=Tauri; rayon=Rayon; wasm-bindgen=WebAssembly"),
        table("criterion=Criterion; trybuild=trybuild")),
    "rb": (table("rails=Ruby on Rails; sinatra=Sinatra; rack=Rack; puma=Puma; sidekiq=Sidekiq;"
                  "hanami=Hanami; activerecord=Active Record"),
           table("rspec=RSpec; minitest=Minitest; rake=Rake; rubocop=RuboCop")),
    # JVM keys match a Maven artifact id, or a group id (prefix) when dotted.
    "jvm": (table(
        "org.springframework.boot=Spring Boot; org.springframework=Spring; com.google.guava=Guava;"
        "com.fasterxml.jackson=Jackson; org.projectlombok=Lombok; org.hibernate=Hibernate;"
        "com.google.code.gson=Gson; io.ktor=Ktor; com.android.application=Android;"
        "com.android.library=Android"), table("junit=JUnit; org.junit=JUnit; org.mockito=Mockito")),
    "php": (table(
        "laravel/framework=Laravel; symfony/symfony=Symfony; symfony/framework-bundle=Symfony;"
        "guzzlehttp/guzzle=Guzzle; slim/slim=Slim; monolog/monolog=Monolog; doctrine/orm=Doctrine"),
        table("phpunit/phpunit=PHPUnit; phpstan/phpstan=PHPStan; vimeo/psalm=Psalm")),
}
# Tools recognised by a file's lower-case name, up to two folders down.
FILE_TOOLS = table(
    "dockerfile=Docker; docker-compose.yml=Docker; docker-compose.yaml=Docker; compose.yml=Docker;"
    "compose.yaml=Docker; cmakelists.txt=CMake; pytest.ini=pytest; conftest.py=pytest;"
    "tox.ini=tox; noxfile.py=Nox; .pre-commit-config.yaml=pre-commit; setup.py=setuptools;"
    "poetry.lock=Poetry; uv.lock=uv; package-lock.json=npm; pnpm-lock.yaml=pnpm;"
    "pnpm-workspace.yaml=pnpm; yarn.lock=Yarn; bun.lockb=Bun; cargo.toml=Cargo; pom.xml=Maven;"
    "build.gradle=Gradle; build.gradle.kts=Gradle; composer.json=Composer; gemfile=Bundler;"
    "rakefile=Rake; go.mod=Go modules; chart.yaml=Helm; kustomization.yaml=Kubernetes;"
    "mkdocs.yml=MkDocs; .readthedocs.yaml=Read the Docs; .readthedocs.yml=Read the Docs;"
    "codecov.yml=Codecov; .codecov.yml=Codecov; ruff.toml=Ruff; .ruff.toml=Ruff;"
    ".prettierrc=Prettier; .golangci.yml=golangci-lint; .golangci.yaml=golangci-lint;"
    ".rubocop.yml=RuboCop; phpunit.xml=PHPUnit; phpunit.xml.dist=PHPUnit; phpstan.neon=PHPStan;"
    "phpstan.neon.dist=PHPStan; psalm.xml=Psalm; netlify.toml=Netlify; vercel.json=Vercel;"
    ".travis.yml=Travis CI; .gitlab-ci.yml=GitLab CI; azure-pipelines.yml=Azure Pipelines;"
    "configure.ac=Autotools; makefile.am=Autotools; meson.build=Meson; tsconfig.json=TypeScript;"
    "renovate.json=Renovate; renovate.json5=Renovate; vagrantfile=Vagrant; jenkinsfile=Jenkins;"
    "flake.nix=Nix")
ROOT_ONLY = table("makefile=Make; gnumakefile=Make; package.json=npm")
PREFIX_TOOLS = table(
    ".eslintrc=ESLint; eslint.config.=ESLint; .prettierrc.=Prettier; prettier.config.=Prettier;"
    "vitest.config.=Vitest; jest.config.=Jest; webpack.config.=webpack; dockerfile.=Docker")
PATH_TOOLS = table(
    ".github/dependabot.yml=Dependabot; .github/dependabot.yaml=Dependabot;"
    ".circleci/config.yml=CircleCI; docs/conf.py=Sphinx; doc/conf.py=Sphinx;"
    ".github/renovate.json5=Renovate; .github/renovate.json=Renovate")
PYPROJECT_TOOLS = table("ruff=Ruff; pytest=pytest; mypy=mypy; black=Black; tox=tox;"
                          "poetry=Poetry; hatch=Hatch; pdm=PDM; uv=uv")
