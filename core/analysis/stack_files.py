"""Tools known by files in the tree, container images, CI actions and CI commands.

Data only; :mod:`core.analysis.techstack` and the CI/container readers apply it.
"""

from __future__ import annotations

from core.analysis.stack_names import table

# Tools recognised by a file's lower-case name, up to two folders down.
FILE_TOOLS = table(
    "dockerfile=Docker; docker-compose.yml=Docker; docker-compose.yaml=Docker; compose.yml=Docker;"
    "compose.yaml=Docker; cmakelists.txt=CMake; pytest.ini=pytest; conftest.py=pytest;"
    "tox.ini=tox; noxfile.py=Nox; .pre-commit-config.yaml=pre-commit; setup.py=setuptools;"
    "poetry.lock=Poetry; uv.lock=uv; package-lock.json=npm; pnpm-lock.yaml=pnpm;"
    "pnpm-workspace.yaml=pnpm; yarn.lock=Yarn; bun.lockb=Bun; bun.lock=Bun; cargo.toml=Cargo;"
    "pom.xml=Maven; build.gradle=Gradle; build.gradle.kts=Gradle; composer.json=Composer;"
    "gemfile=Bundler; rakefile=Rake; go.mod=Go modules; chart.yaml=Helm;"
    "kustomization.yaml=Kubernetes; mkdocs.yml=MkDocs; .readthedocs.yaml=Read the Docs;"
    ".readthedocs.yml=Read the Docs; codecov.yml=Codecov; .codecov.yml=Codecov; ruff.toml=Ruff;"
    ".ruff.toml=Ruff; .prettierrc=Prettier; .golangci.yml=golangci-lint;"
    ".golangci.yaml=golangci-lint; .rubocop.yml=RuboCop; phpunit.xml=PHPUnit;"
    "phpunit.xml.dist=PHPUnit; phpstan.neon=PHPStan; phpstan.neon.dist=PHPStan; psalm.xml=Psalm;"
    "netlify.toml=Netlify; vercel.json=Vercel; .travis.yml=Travis CI; .gitlab-ci.yml=GitLab CI;"
    "azure-pipelines.yml=Azure Pipelines; configure.ac=Autotools; makefile.am=Autotools;"
    "meson.build=Meson; tsconfig.json=TypeScript; renovate.json=Renovate;"
    "renovate.json5=Renovate; vagrantfile=Vagrant; jenkinsfile=Jenkins; flake.nix=Nix;"
    "pubspec.yaml=Pub; mix.exs=Mix; package.swift=Swift Package Manager; podfile=CocoaPods;"
    "cartfile=Carthage; vcpkg.json=vcpkg; conanfile.txt=Conan; conanfile.py=Conan;"
    ".swiftlint.yml=SwiftLint; analysis_options.yaml=Dart analyzer; .credo.exs=Credo;"
    "pipfile=Pipenv; environment.yml=Conda; bitbucket-pipelines.yml=Bitbucket Pipelines;"
    "appveyor.yml=AppVeyor; .appveyor.yml=AppVeyor; .drone.yml=Drone; .cirrus.yml=Cirrus CI;"
    "biome.json=Biome; .stylelintrc=Stylelint; stylelint.config.js=Stylelint;"
    "playwright.config.ts=Playwright; playwright.config.js=Playwright; cypress.json=Cypress;"
    "cypress.config.ts=Cypress; cypress.config.js=Cypress; turbo.json=Turborepo; nx.json=Nx;"
    "lerna.json=Lerna; deno.json=Deno; deno.jsonc=Deno; procfile=Heroku; app.json=Heroku;"
    "fly.toml=Fly.io; serverless.yml=Serverless Framework; skaffold.yaml=Skaffold;"
    "tiltfile=Tilt; earthfile=Earthly; justfile=just; taskfile.yml=Task;"
    "gradlew=Gradle; mvnw=Maven; .sqlfluff=SQLFluff; firebase.json=Firebase")
ROOT_ONLY = table("makefile=Make; gnumakefile=Make; package.json=npm")
PREFIX_TOOLS = table(
    ".eslintrc=ESLint; eslint.config.=ESLint; .prettierrc.=Prettier; prettier.config.=Prettier;"
    "vitest.config.=Vitest; jest.config.=Jest; webpack.config.=webpack; dockerfile.=Docker;"
    "vite.config.=Vite; tailwind.config.=Tailwind CSS; postcss.config.=PostCSS;"
    "babel.config.=Babel; .babelrc=Babel; rollup.config.=Rollup; .stylelintrc.=Stylelint;"
    "karma.conf.=Karma; cypress.config.=Cypress; playwright.config.=Playwright;"
    "svelte.config.=Svelte; astro.config.=Astro; nuxt.config.=Nuxt; next.config.=Next.js;"
    "angular.json=Angular; storybook=Storybook")
PATH_TOOLS = table(
    ".github/dependabot.yml=Dependabot; .github/dependabot.yaml=Dependabot;"
    ".circleci/config.yml=CircleCI; docs/conf.py=Sphinx; doc/conf.py=Sphinx;"
    ".github/renovate.json5=Renovate; .github/renovate.json=Renovate;"
    ".buildkite/pipeline.yml=Buildkite; .devcontainer/devcontainer.json=Dev Containers;"
    ".woodpecker.yml=Woodpecker CI; .github/codeql/codeql-config.yml=CodeQL")
# Folder names (anywhere) that say which tool the project uses.
FOLDER_TOOLS = table(".storybook=Storybook; .husky=Husky; .devcontainer=Dev Containers")
PYPROJECT_TOOLS = table("ruff=Ruff; pytest=pytest; mypy=mypy; black=Black; tox=tox;"
                        "poetry=Poetry; hatch=Hatch; pdm=PDM; uv=uv; isort=isort;"
                        "pyright=Pyright; coverage=Coverage.py; setuptools_scm=setuptools-scm")

# Container images (name without registry and tag, or its last part) -> display name.
IMAGE_TOOLS = table(
    "postgres=PostgreSQL; postgis/postgis=PostgreSQL; bitnami/postgresql=PostgreSQL;"
    "postgresql=PostgreSQL; timescale/timescaledb=TimescaleDB; mysql=MySQL; bitnami/mysql=MySQL;"
    "mariadb=MariaDB; mongo=MongoDB; mongodb=MongoDB; bitnami/mongodb=MongoDB;"
    "mongodb/mongodb-community-server=MongoDB; redis=Redis; bitnami/redis=Redis;"
    "redis/redis-stack=Redis; valkey/valkey=Valkey; memcached=Memcached;"
    "rabbitmq=RabbitMQ; bitnami/rabbitmq=RabbitMQ; elasticsearch=Elasticsearch;"
    "elasticsearch/elasticsearch=Elasticsearch; opensearchproject/opensearch=OpenSearch;"
    "kibana=Kibana; confluentinc/cp-kafka=Apache Kafka; bitnami/kafka=Apache Kafka;"
    "apache/kafka=Apache Kafka; wurstmeister/kafka=Apache Kafka; zookeeper=ZooKeeper;"
    "confluentinc/cp-zookeeper=ZooKeeper; nginx=Nginx; nginxinc/nginx-unprivileged=Nginx;"
    "httpd=Apache HTTP Server; caddy=Caddy; traefik=Traefik; minio/minio=MinIO;"
    "grafana/grafana=Grafana; prom/prometheus=Prometheus; localstack/localstack=LocalStack;"
    "mailhog/mailhog=MailHog; axllent/mailpit=Mailpit; clickhouse/clickhouse-server=ClickHouse;"
    "cassandra=Apache Cassandra; neo4j=Neo4j; influxdb=InfluxDB; nats=NATS;"
    "eclipse-mosquitto=Mosquitto; keycloak/keycloak=Keycloak; quay.io/keycloak/keycloak=Keycloak;"
    "selenium/standalone-chrome=Selenium; mcr.microsoft.com/mssql/server=SQL Server;"
    "mssql/server=SQL Server; node=Node.js; bitnami/node=Node.js; dotnet/aspnet=.NET;"
    "dotnet/sdk=.NET; nvidia/cuda=CUDA; jupyter/base-notebook=Jupyter;"
    "jupyter/scipy-notebook=Jupyter; jupyter/datascience-notebook=Jupyter;"
    "jupyter/tensorflow-notebook=Jupyter; jupyter/minimal-notebook=Jupyter;"
    "qdrant/qdrant=Qdrant; chromadb/chroma=Chroma; meilisearch/meilisearch=Meilisearch;"
    "getmeili/meilisearch=Meilisearch; typesense/typesense=Typesense; solr=Apache Solr;"
    "adminer=Adminer; dpage/pgadmin4=pgAdmin; couchdb=CouchDB; memgraph/memgraph=Memgraph")
TRAVIS_SERVICES = table(
    "postgresql=PostgreSQL; mysql=MySQL; mariadb=MariaDB; mongodb=MongoDB; redis=Redis;"
    "redis-server=Redis; memcached=Memcached; rabbitmq=RabbitMQ; elasticsearch=Elasticsearch;"
    "docker=Docker; xvfb=Xvfb; cassandra=Apache Cassandra; couchdb=CouchDB")
# GitHub Actions ("owner/action" without version) -> the tool the step runs.
ACTION_TOOLS = table(
    "codecov/codecov-action=Codecov; coverallsapp/github-action=Coveralls;"
    "docker/build-push-action=Docker; docker/setup-buildx-action=Docker; docker/login-action=Docker;"
    "github/codeql-action/init=CodeQL; github/codeql-action/analyze=CodeQL;"
    "golangci/golangci-lint-action=golangci-lint; pre-commit/action=pre-commit;"
    "cypress-io/github-action=Cypress; peaceiris/actions-gh-pages=GitHub Pages;"
    "actions/deploy-pages=GitHub Pages; actions/upload-pages-artifact=GitHub Pages;"
    "jamesives/github-pages-deploy-action=GitHub Pages; goreleaser/goreleaser-action=GoReleaser;"
    "hashicorp/setup-terraform=Terraform; azure/setup-helm=Helm; sonarsource/sonarcloud-github-action=SonarCloud;"
    "snyk/actions=Snyk; aquasecurity/trivy-action=Trivy; astral-sh/setup-uv=uv; astral-sh/ruff-action=Ruff;"
    "pnpm/action-setup=pnpm; oven-sh/setup-bun=Bun; denoland/setup-deno=Deno;"
    "gradle/actions/setup-gradle=Gradle; gradle/gradle-build-action=Gradle;"
    "subosito/flutter-action=Flutter; erlef/setup-beam=Mix; swatinem/rust-cache=Cargo;"
    "dtolnay/rust-toolchain=Cargo; actions-rs/cargo=Cargo; pypa/cibuildwheel=cibuildwheel;"
    "softprops/action-gh-release=GitHub Releases; ncipollo/release-action=GitHub Releases;"
    "release-drafter/release-drafter=Release Drafter; changesets/action=Changesets;"
    "semantic-release/semantic-release=semantic-release; chromaui/action=Chromatic;"
    "vercel/actions=Vercel; amondnet/vercel-action=Vercel; netlify/actions=Netlify;"
    "aws-actions/configure-aws-credentials=AWS; google-github-actions/auth=Google Cloud;"
    "azure/login=Azure; shivammathur/setup-php=Composer; ruby/setup-ruby=Bundler;"
    "actions/setup-dotnet=.NET; zizmorcore/zizmor-action=zizmor")
# First words of a CI command -> the tool it runs.
COMMAND_TOOLS = table(
    "pytest=pytest; python -m pytest=pytest; tox=tox; nox=Nox; ruff=Ruff; mypy=mypy;"
    "black=Black; flake8=Flake8; pylint=Pylint; coverage=Coverage.py; uv=uv; poetry=Poetry;"
    "pre-commit=pre-commit; npx jest=Jest; jest=Jest; npx vitest=Vitest; vitest=Vitest;"
    "npx playwright=Playwright; npx cypress=Cypress; npx eslint=ESLint; eslint=ESLint;"
    "npx prettier=Prettier; pnpm=pnpm; yarn=Yarn; bun=Bun; deno=Deno; npm=npm;"
    "cargo clippy=Clippy; cargo fmt=rustfmt; cargo=Cargo; cargo nextest=nextest;"
    "golangci-lint=golangci-lint; goreleaser=GoReleaser; mvn=Maven; ./mvnw=Maven;"
    "gradle=Gradle; ./gradlew=Gradle; dotnet=.NET; flutter=Flutter; mix=Mix; mix credo=Credo;"
    "mix dialyzer=Dialyxir; bundle exec rspec=RSpec; bundle exec rubocop=RuboCop; rspec=RSpec;"
    "bundle=Bundler; composer=Composer; vendor/bin/phpunit=PHPUnit; vendor/bin/phpstan=PHPStan;"
    "docker=Docker; docker compose=Docker;"
    "docker-compose=Docker; helm=Helm; kubectl=Kubernetes; terraform=Terraform;"
    "ansible-playbook=Ansible; swift test=Swift Package Manager; swift build=Swift Package Manager;"
    "xcodebuild=Xcode; pod=CocoaPods; fastlane=fastlane; cmake=CMake; ctest=CTest; meson=Meson;"
    "ninja=Ninja; bazel=Bazel; valgrind=Valgrind; sphinx-build=Sphinx; mkdocs=MkDocs")
