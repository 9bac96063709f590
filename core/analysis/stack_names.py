"""Dependency names -> display names, per ecosystem; which names are frameworks.

Data only; :mod:`core.analysis.techstack` applies it. A dependency the tables do not
know is still shown, under its package name (:func:`package_display`), when it is a
direct runtime dependency; the tables give well-known ones their usual names, rank
frameworks first, and say which development dependencies are tools.
"""

from __future__ import annotations

import re

PACKAGE_MANAGERS = {"pnpm", "Yarn", "Bun"}  # any of these makes "npm" redundant


def table(spec: str) -> dict[str, str]:
    """``"key=Display; key=Display"`` -> dict; keeps the tables below compact."""
    pairs = (item.split("=", 1) for item in spec.split(";") if item.strip())
    return {key.strip(): display.strip() for key, display in pairs}


# Per ecosystem: (libraries and frameworks, development tools). Keys are normalised
# package names (Python: PEP 503; Go: module path; JVM: "group" prefix or artifact id;
# .NET: package id or a dotted prefix of it).
TABLES = {
    "py": (table(
        "flask=Flask; django=Django; fastapi=FastAPI; starlette=Starlette; torch=PyTorch;"
        "pytorch=PyTorch; torchvision=torchvision; tensorflow=TensorFlow; tensorflow-gpu=TensorFlow;"
        "keras=Keras; jax=JAX; scikit-learn=scikit-learn; sklearn=scikit-learn;"
        "transformers=Hugging Face Transformers; datasets=Hugging Face Datasets; pandas=pandas;"
        "numpy=NumPy; scipy=SciPy; polars=Polars; matplotlib=Matplotlib; seaborn=seaborn;"
        "plotly=Plotly; sqlalchemy=SQLAlchemy; sqlmodel=SQLModel; pydantic=Pydantic;"
        "celery=Celery; pyside6=Qt; pyside2=Qt; pyqt5=Qt; pyqt6=Qt; pyside6-essentials=Qt;"
        "jinja2=Jinja; werkzeug=Werkzeug; click=Click; itsdangerous=ItsDangerous; blinker=Blinker;"
        "markupsafe=MarkupSafe; typer=Typer; aiohttp=aiohttp; tornado=Tornado; requests=Requests;"
        "httpx=HTTPX; peewee=Peewee; huey=Huey; streamlit=Streamlit; gradio=Gradio; dash=Dash;"
        "langchain=LangChain; openai=OpenAI API; anthropic=Anthropic API; anyio=AnyIO; trio=Trio;"
        "redis=Redis; uvicorn=Uvicorn; gunicorn=Gunicorn; rich=Rich; textual=Textual;"
        "opencv-python=OpenCV; opencv-python-headless=OpenCV; pygame=Pygame; kivy=Kivy;"
        "boto3=AWS SDK; djangorestframework=Django REST framework; pyyaml=PyYAML; pillow=Pillow;"
        "beautifulsoup4=Beautiful Soup; lxml=lxml; psycopg2=psycopg2; psycopg2-binary=psycopg2;"
        "psycopg=psycopg; asyncpg=asyncpg; pymongo=PyMongo; alembic=Alembic; marshmallow=marshmallow;"
        "sanic=Sanic; litestar=Litestar; pyramid=Pyramid; bottle=Bottle; jupyter=Jupyter;"
        "jupyterlab=Jupyter; notebook=Jupyter; ipykernel=Jupyter; xgboost=XGBoost;"
        "py-xgboost=XGBoost; lightgbm=LightGBM; nltk=NLTK; spacy=spaCy; networkx=NetworkX; sympy=SymPy;"
        "pytorch-lightning=PyTorch Lightning; lightning=PyTorch Lightning; wandb=Weights & Biases;"
        "mlflow=MLflow; tiktoken=tiktoken; accelerate=Hugging Face Accelerate; diffusers=Diffusers;"
        "selenium=Selenium; scrapy=Scrapy; graphene=Graphene; strawberry-graphql=Strawberry;"
        "channels=Django Channels; whitenoise=WhiteNoise; sentry-sdk=Sentry; statsmodels=statsmodels"),
        table(
        "pytest=pytest; tox=tox; nox=Nox; ruff=Ruff; black=Black; flake8=Flake8; mypy=mypy;"
        "pyright=Pyright; sphinx=Sphinx; mkdocs=MkDocs; mkdocs-material=MkDocs; pre-commit=pre-commit;"
        "coverage=Coverage.py; pytest-cov=Coverage.py; hypothesis=Hypothesis; setuptools=setuptools;"
        "hatchling=Hatch; poetry-core=Poetry; pdm-backend=PDM; flit-core=Flit; maturin=maturin;"
        "isort=isort; pylint=Pylint; bandit=Bandit; factory-boy=factory_boy; model-bakery=model_bakery;"
        "pytest-django=pytest; pytest-asyncio=pytest; cython=Cython; scikit-build-core=scikit-build;"
        "setuptools-scm=setuptools-scm; nbconvert=Jupyter; ipython=IPython; locust=Locust")),
    "js": (table(
        "react=React; vue=Vue; svelte=Svelte; @angular/core=Angular; express=Express;"
        "next=Next.js; nuxt=Nuxt; @sveltejs/kit=SvelteKit; koa=Koa; fastify=Fastify;"
        "@nestjs/core=NestJS; electron=Electron; react-native=React Native; expo=Expo;"
        "tailwindcss=Tailwind CSS; jquery=jQuery; three=Three.js; socket.io=Socket.IO;"
        "socket.io-client=Socket.IO; redux=Redux; @reduxjs/toolkit=Redux; react-redux=Redux;"
        "d3=D3.js; vite=Vite; astro=Astro; @tensorflow/tfjs=TensorFlow.js; mongoose=Mongoose;"
        "mongodb=MongoDB driver; prisma=Prisma; @prisma/client=Prisma; sequelize=Sequelize;"
        "typeorm=TypeORM; drizzle-orm=Drizzle; knex=Knex; graphql=GraphQL; @apollo/client=Apollo;"
        "@apollo/server=Apollo; apollo-server=Apollo; axios=Axios; vue-router=Vue Router;"
        "vuex=Vuex; pinia=Pinia; react-router=React Router; react-router-dom=React Router;"
        "@tanstack/react-query=TanStack Query; react-query=TanStack Query; zustand=Zustand;"
        "mobx=MobX; bootstrap=Bootstrap; react-bootstrap=React Bootstrap; reactstrap=Reactstrap;"
        "element-ui=Element UI; element-plus=Element Plus; antd=Ant Design; vuetify=Vuetify;"
        "@mui/material=Material UI; @material-ui/core=Material UI; @chakra-ui/react=Chakra UI;"
        "styled-components=styled-components; @emotion/react=Emotion; echarts=ECharts;"
        "chart.js=Chart.js; passport=Passport; jsonwebtoken=jsonwebtoken; next-auth=NextAuth.js;"
        "zod=Zod; lodash=Lodash; rxjs=RxJS; hono=Hono; @remix-run/react=Remix; gatsby=Gatsby;"
        "solid-js=Solid; preact=Preact; ember-source=Ember.js; @hapi/hapi=hapi; phaser=Phaser;"
        "@radix-ui/react-slot=Radix UI; stripe=Stripe; @stripe/stripe-js=Stripe; firebase=Firebase;"
        "@supabase/supabase-js=Supabase; ioredis=ioredis; pg=node-postgres; mysql2=mysql2;"
        "bullmq=BullMQ; @trpc/server=tRPC; contentlayer=Contentlayer; @vercel/og=Vercel OG;"
        "@planetscale/database=PlanetScale; @tauri-apps/api=Tauri; htmx.org=htmx; alpinejs=Alpine.js;"
        "@inertiajs/vue3=Inertia.js; @inertiajs/react=Inertia.js; i18next=i18next; vue-i18n=Vue I18n;"
        "pug=Pug; ejs=EJS; handlebars=Handlebars; express-handlebars=Handlebars; nunjucks=Nunjucks;"
        "nodemailer=Nodemailer; winston=winston; pino=pino"),
        table(
        "typescript=TypeScript; vitest=Vitest; jest=Jest; mocha=Mocha; eslint=ESLint;"
        "prettier=Prettier; webpack=webpack; rollup=Rollup; esbuild=esbuild;"
        "playwright-chromium=Playwright; @playwright/test=Playwright; playwright=Playwright;"
        "cypress=Cypress; vitepress=VitePress; storybook=Storybook; lerna=Lerna; turbo=Turborepo;"
        "nx=Nx; @babel/core=Babel; babel-core=Babel; @vue/cli-service=Vue CLI; parcel=Parcel;"
        "nodemon=nodemon; husky=Husky; stylelint=Stylelint; sass=Sass; node-sass=Sass; less=Less;"
        "postcss=PostCSS; @biomejs/biome=Biome; karma=Karma; jasmine=Jasmine; supertest=SuperTest;"
        "@testing-library/react=Testing Library; @vue/test-utils=Vue Test Utils; ts-node=ts-node;"
        "tsx=tsx; @changesets/cli=Changesets; semantic-release=semantic-release;"
        "@sveltejs/vite-plugin-svelte=Vite; @vitejs/plugin-react=Vite; @vitejs/plugin-vue=Vite;"
        "tailwindcss=Tailwind CSS; @tailwindcss/vite=Tailwind CSS; msw=MSW; c8=c8; nyc=nyc")),
    "go": (table(
        "github.com/gin-gonic/gin=Gin; github.com/labstack/echo=Echo;"
        "github.com/spf13/cobra=Cobra; github.com/gorilla/mux=gorilla/mux;"
        "github.com/spf13/viper=Viper; github.com/gofiber/fiber=Fiber; github.com/go-chi/chi=chi;"
        "gorm.io/gorm=GORM; google.golang.org/grpc=gRPC; github.com/urfave/cli=urfave/cli;"
        "github.com/spf13/pflag=pflag; github.com/charmbracelet/bubbletea=Bubble Tea;"
        "github.com/charmbracelet/lipgloss=Lip Gloss; github.com/charmbracelet/bubbles=Bubbles;"
        "github.com/jmoiron/sqlx=sqlx; github.com/lib/pq=pq; github.com/jackc/pgx=pgx;"
        "github.com/mattn/go-sqlite3=go-sqlite3; modernc.org/sqlite=modernc sqlite;"
        "github.com/go-sql-driver/mysql=Go MySQL Driver; github.com/redis/go-redis=go-redis;"
        "github.com/go-redis/redis=go-redis; go.mongodb.org/mongo-driver=MongoDB Go Driver;"
        "github.com/sirupsen/logrus=Logrus; go.uber.org/zap=zap; github.com/rs/zerolog=zerolog;"
        "github.com/prometheus/client_golang=Prometheus client; google.golang.org/protobuf=Protocol Buffers;"
        "github.com/golang/protobuf=Protocol Buffers; github.com/swaggo/swag=Swag;"
        "github.com/gorilla/websocket=gorilla/websocket; github.com/julienschmidt/httprouter=httprouter;"
        "github.com/puerkitobio/goquery=goquery; github.com/golang-jwt/jwt=golang-jwt;"
        "github.com/aws/aws-sdk-go=AWS SDK; github.com/aws/aws-sdk-go-v2=AWS SDK;"
        "k8s.io/client-go=Kubernetes client-go; github.com/hashicorp/terraform-plugin-sdk=Terraform SDK;"
        "github.com/wailsapp/wails=Wails; fyne.io/fyne=Fyne; github.com/hajimehoshi/ebiten=Ebitengine;"
        "github.com/playwright-community/playwright-go=Playwright; entgo.io/ent=ent;"
        "github.com/a-h/templ=templ; github.com/pocketbase/pocketbase=PocketBase"),
        table("github.com/stretchr/testify=Testify; github.com/onsi/ginkgo=Ginkgo;"
              "github.com/onsi/gomega=Gomega; github.com/golang/mock=gomock; go.uber.org/mock=gomock;"
              "github.com/testcontainers/testcontainers-go=Testcontainers")),
    "rs": (table(
        "tokio=Tokio; serde=Serde; serde_json=Serde; clap=Clap; actix-web=Actix Web; axum=Axum;"
        "rocket=Rocket; reqwest=reqwest; hyper=Hyper; diesel=Diesel; sqlx=SQLx; bevy=Bevy;"
        "tauri=Tauri; rayon=Rayon; wasm-bindgen=WebAssembly; ratatui=Ratatui; tui=tui-rs;"
        "crossterm=crossterm; egui=egui; eframe=egui; iced=Iced; leptos=Leptos; yew=Yew;"
        "tracing=tracing; anyhow=anyhow; thiserror=thiserror; sea-orm=SeaORM; warp=warp;"
        "tonic=Tonic; prost=Prost; wgpu=wgpu; winit=winit; pyo3=PyO3; napi=N-API; sysinfo=sysinfo;"
        "regex=regex; chrono=chrono; rand=rand; uuid=uuid; futures=futures; tower=Tower;"
        "tracing-subscriber=tracing; env_logger=env_logger; toml=toml; serde_yaml=serde_yaml;"
        "itertools=itertools; once_cell=once_cell; async-trait=async-trait; bytes=bytes"),
        table("criterion=Criterion; trybuild=trybuild; insta=insta; proptest=proptest;"
              "cargo-husky=Husky")),
    "rb": (table("rails=Ruby on Rails; railties=Ruby on Rails; sinatra=Sinatra; rack=Rack; puma=Puma;"
                 "sidekiq=Sidekiq; hanami=Hanami; activerecord=Active Record; pg=pg; mysql2=mysql2;"
                 "sqlite3=sqlite3; redis=redis-rb; devise=Devise; turbo-rails=Hotwire Turbo;"
                 "stimulus-rails=Stimulus; importmap-rails=Import Maps; jbuilder=Jbuilder;"
                 "good_job=GoodJob; solid_queue=Solid Queue; pundit=Pundit; graphql=GraphQL Ruby;"
                 "tailwindcss-rails=Tailwind CSS; propshaft=Propshaft; sprockets=Sprockets;"
                 "dalli=Dalli; aws-sdk-s3=AWS SDK; sentry-ruby=Sentry; opensearch-ruby=OpenSearch;"
                 "elasticsearch=Elasticsearch; kaminari=Kaminari; rack-attack=Rack::Attack"),
           table("rspec=RSpec; rspec-rails=RSpec; minitest=Minitest; rake=Rake; rubocop=RuboCop;"
                 "capybara=Capybara; factory_bot=factory_bot; factory_bot_rails=factory_bot;"
                 "simplecov=SimpleCov; brakeman=Brakeman; selenium-webdriver=Selenium;"
                 "webmock=WebMock; vcr=VCR; rubocop-rails=RuboCop; erb_lint=ERB Lint")),
    # JVM keys match a Maven artifact id, or a group id (prefix) when dotted.
    "jvm": (table(
        "org.springframework.boot=Spring Boot; spring-boot-starter-data-jpa=Spring Data JPA;"
        "spring-boot-starter-security=Spring Security; spring-boot-starter-data-mongodb=Spring Data MongoDB;"
        "spring-boot-starter-webflux=Spring WebFlux; org.springframework.security=Spring Security;"
        "org.springframework=Spring; com.google.guava=Guava; com.fasterxml.jackson=Jackson;"
        "org.projectlombok=Lombok; org.hibernate=Hibernate; com.google.code.gson=Gson; io.ktor=Ktor;"
        "com.android.application=Android; com.android.library=Android; androidx.compose=Jetpack Compose;"
        "hilt-android=Hilt; hilt-android-compiler=Hilt; hilt-compiler=Hilt; androidx.hilt=Hilt; com.google.dagger=Dagger; androidx.room=Room;"
        "androidx.navigation=Jetpack Navigation; androidx.lifecycle=Jetpack Lifecycle;"
        "androidx.work=WorkManager; androidx.datastore=DataStore; androidx.paging=Paging;"
        "androidx.camera=CameraX; com.squareup.retrofit2=Retrofit; com.squareup.okhttp3=OkHttp;"
        "com.squareup.moshi=Moshi; io.coil-kt=Coil; com.github.bumptech.glide=Glide;"
        "io.insert-koin=Koin; kotlinx-coroutines-core=Kotlin Coroutines;"
        "kotlinx-coroutines-android=Kotlin Coroutines; kotlinx-serialization-json=kotlinx.serialization;"
        "com.google.firebase=Firebase; com.jakewharton.timber=Timber; io.reactivex=RxJava;"
        "com.google.android.material=Material Components; com.google.accompanist=Accompanist;"
        "org.mybatis=MyBatis; com.netflix.graphql.dgs=Netflix DGS; org.flywaydb=Flyway;"
        "org.liquibase=Liquibase; io.jsonwebtoken=JJWT; io.quarkus=Quarkus; io.micronaut=Micronaut;"
        "io.vertx=Vert.x; org.apache.kafka=Apache Kafka; org.jetbrains.exposed=Exposed;"
        "io.grpc=gRPC; com.google.protobuf=Protocol Buffers; org.apache.commons=Apache Commons;"
        "org.slf4j=SLF4J; ch.qos.logback=Logback; org.apache.logging.log4j=Log4j;"
        "joda-time=Joda-Time; org.jetbrains.compose=Compose Multiplatform;"
        "org.jetbrains.kotlin.plugin.compose=Jetpack Compose; org.jetbrains.kotlin.multiplatform=Kotlin Multiplatform;"
        "com.squareup.sqldelight=SQLDelight; app.cash.sqldelight=SQLDelight;"
        "org.xerial=SQLite JDBC; com.h2database=H2; org.postgresql=PostgreSQL JDBC; com.mysql=MySQL Connector/J;"
        "mysql=MySQL Connector/J; org.mongodb=MongoDB Java Driver"), table(
        "junit=JUnit; org.junit=JUnit; org.mockito=Mockito; io.mockk=MockK; org.assertj=AssertJ;"
        "io.rest-assured=REST Assured; org.testcontainers=Testcontainers; com.google.truth=Truth;"
        "androidx.test.espresso=Espresso; org.robolectric=Robolectric; io.kotest=Kotest;"
        "org.jacoco=JaCoCo; jacoco-maven-plugin=JaCoCo; com.diffplug.spotless=Spotless;"
        "io.gitlab.arturbosch.detekt=detekt; org.jlleitschuh.gradle.ktlint=ktlint;"
        "maven-surefire-plugin=Maven Surefire; com.github.spotbugs=SpotBugs;"
        "org.hamcrest=Hamcrest; spring-boot-starter-test=Spring Boot Test; com.google.devtools.ksp=KSP;"
        "org.jetbrains.kotlin.kapt=kapt")),
    "php": (table(
        "laravel/framework=Laravel; symfony/symfony=Symfony; symfony/framework-bundle=Symfony;"
        "guzzlehttp/guzzle=Guzzle; slim/slim=Slim; monolog/monolog=Monolog; doctrine/orm=Doctrine;"
        "laravel/sanctum=Laravel Sanctum; laravel/scout=Laravel Scout; laravel/horizon=Laravel Horizon;"
        "livewire/livewire=Livewire; inertiajs/inertia-laravel=Inertia.js; predis/predis=Predis;"
        "league/flysystem=Flysystem; aws/aws-sdk-php=AWS SDK; codeigniter4/framework=CodeIgniter;"
        "yiisoft/yii2=Yii; cakephp/cakephp=CakePHP; twig/twig=Twig; filament/filament=Filament"),
        table("phpunit/phpunit=PHPUnit; phpstan/phpstan=PHPStan; vimeo/psalm=Psalm;"
              "pestphp/pest=Pest; friendsofphp/php-cs-fixer=PHP CS Fixer; laravel/pint=Laravel Pint;"
              "squizlabs/php_codesniffer=PHP_CodeSniffer; mockery/mockery=Mockery;"
              "larastan/larastan=Larastan; nunomaduro/larastan=Larastan; laravel/dusk=Laravel Dusk")),
    "ex": (table(
        "phoenix=Phoenix; phoenix_live_view=Phoenix LiveView; ecto=Ecto; ecto_sql=Ecto;"
        "phoenix_ecto=Ecto; absinthe=Absinthe; oban=Oban; broadway=Broadway; nerves=Nerves;"
        "plug=Plug; plug_cowboy=Plug; bandit=Bandit; postgrex=Postgrex; swoosh=Swoosh;"
        "tesla=Tesla; finch=Finch; req=Req; jason=Jason; ash=Ash; phoenix_live_dashboard=LiveDashboard;"
        "ueberauth=Ueberauth; guardian=Guardian; sentry=Sentry; libcluster=libcluster;"
        "telemetry=Telemetry; ex_aws=ExAws; rustler=Rustler; nx=Nx; livebook=Livebook"),
        table("credo=Credo; dialyxir=Dialyxir; ex_doc=ExDoc; excoveralls=ExCoveralls; mox=Mox;"
              "esbuild=esbuild; tailwind=Tailwind CSS; ex_machina=ExMachina; stream_data=StreamData;"
              "floki=Floki")),
    "dart": (table(
        "provider=Provider; flutter_bloc=BLoC; bloc=BLoC; flutter_riverpod=Riverpod; riverpod=Riverpod;"
        "hooks_riverpod=Riverpod; get=GetX; dio=Dio; http=http; firebase_core=Firebase;"
        "cloud_firestore=Firebase; shared_preferences=shared_preferences; sqflite=sqflite;"
        "hive=Hive; isar=Isar; drift=Drift; go_router=go_router; freezed_annotation=Freezed;"
        "json_annotation=json_serializable; equatable=Equatable; get_it=get_it; flame=Flame"),
        table("flutter_lints=flutter_lints; lints=Dart lints; build_runner=build_runner;"
              "mockito=Mockito; mocktail=mocktail; freezed=Freezed; json_serializable=json_serializable;"
              "very_good_analysis=Very Good Analysis; bloc_test=bloc_test")),
    "swift": (table(
        "alamofire=Alamofire; kingfisher=Kingfisher; snapkit=SnapKit; rxswift=RxSwift;"
        "swift-composable-architecture=The Composable Architecture; realm-swift=Realm; realm=Realm;"
        "firebase-ios-sdk=Firebase; vapor=Vapor; swift-argument-parser=Swift Argument Parser;"
        "swift-nio=SwiftNIO; grdb.swift=GRDB; sdwebimage=SDWebImage; swiftyjson=SwiftyJSON;"
        "moya=Moya; lottie-ios=Lottie; lottie-spm=Lottie; swiftlint=SwiftLint"),
        table("viewinspector=ViewInspector; quick=Quick; nimble=Nimble;"
              "swift-snapshot-testing=SnapshotTesting; swiftlint=SwiftLint")),
    "nuget": (table(
        "microsoft.aspnetcore=ASP.NET Core; microsoft.entityframeworkcore=Entity Framework Core;"
        "swashbuckle.aspnetcore=Swashbuckle; newtonsoft.json=Json.NET; serilog=Serilog;"
        "automapper=AutoMapper; mediatr=MediatR; fluentvalidation=FluentValidation; dapper=Dapper;"
        "npgsql=Npgsql; polly=Polly; masstransit=MassTransit; hangfire=Hangfire; signalr=SignalR;"
        "microsoft.aspnetcore.signalr=SignalR; grpc.aspnetcore=gRPC; stackexchange.redis=StackExchange.Redis;"
        "mongodb.driver=MongoDB .NET Driver; avalonia=Avalonia; microsoft.maui=.NET MAUI;"
        "mudblazor=MudBlazor; nlog=NLog; identityserver4=IdentityServer; duende.identityserver=IdentityServer"),
        table("xunit=xUnit; nunit=NUnit; mstest.testframework=MSTest; moq=Moq; nsubstitute=NSubstitute;"
              "fluentassertions=FluentAssertions; coverlet.collector=Coverlet; bullseye=Bullseye;"
              "microsoft.net.test.sdk=.NET test SDK; stylecop.analyzers=StyleCop; bogus=Bogus")),
    "c": (table(
        "boost=Boost; qt5=Qt; qt6=Qt; qt=Qt; openssl=OpenSSL; zlib=zlib; curl=libcurl; libcurl=libcurl;"
        "fmt=fmt; spdlog=spdlog; eigen3=Eigen; eigen=Eigen; opencv=OpenCV; sdl2=SDL; sdl3=SDL;"
        "sdl=SDL; glfw3=GLFW; glfw=GLFW; opengl=OpenGL; vulkan=Vulkan; protobuf=Protocol Buffers;"
        "absl=Abseil; abseil=Abseil; nlohmann_json=nlohmann/json; nlohmann-json=nlohmann/json;"
        "cli11=CLI11; gtk+-3.0=GTK; gtk4=GTK; gtk=GTK; glib-2.0=GLib; sqlite3=SQLite;"
        "libavformat=FFmpeg; libavcodec=FFmpeg; libavutil=FFmpeg; ffmpeg=FFmpeg; libusb-1.0=libusb;"
        "imgui=Dear ImGui; wxwidgets=wxWidgets; llvm=LLVM; capstone=Capstone; re2=RE2;"
        "oniguruma=Oniguruma; onig=Oniguruma; libuv=libuv; zstd=Zstandard; lz4=LZ4;"
        "grpc=gRPC; tbb=oneTBB; cuda=CUDA; cudatoolkit=CUDA; openmp=OpenMP; mpi=MPI; libxml-2.0=libxml2;"
        "libxml2=libxml2; libpng=libpng; png=libpng; jpeg=libjpeg; freetype=FreeType; freetype2=FreeType;"
        "harfbuzz=HarfBuzz; x11=X11; wayland-client=Wayland; dbus-1=D-Bus; libsystemd=systemd;"
        "pcre2=PCRE2; lua=Lua; python3-embed=Python; pybind11=pybind11; yaml-cpp=yaml-cpp;"
        "raylib=raylib; sfml=SFML; assimp=Assimp; glm=GLM; bullet=Bullet; libevent=libevent;"
        "ncurses=ncurses; ncursesw=ncurses; readline=GNU Readline; libssh=libssh; libgit2=libgit2"),
        table("gtest=GoogleTest; googletest=GoogleTest; gmock=GoogleTest; catch2=Catch2;"
              "benchmark=Google Benchmark; doctest=doctest; doxygen=Doxygen; check=Check;"
              "cmocka=cmocka; unity=Unity; bison=Bison; flex=Flex; ccache=ccache")),
}

# Display names that are frameworks (ranked before libraries).
FRAMEWORKS = frozenset((
    "Flask Django FastAPI Starlette Tornado Sanic Litestar Pyramid Bottle Streamlit Gradio Dash "
    "PyTorch TensorFlow Keras JAX Qt Kivy Pygame Textual Scrapy React Vue Svelte Angular Express "
    "Next.js Nuxt SvelteKit Koa Fastify NestJS Electron Expo Astro Gatsby Solid Preact Hono "
    "Remix Gin Echo Fiber chi Cobra Wails Fyne Ebitengine PocketBase Axum Rocket Bevy Tauri "
    "Leptos Yew Ratatui Iced egui Sinatra Hanami Spring Ktor Quarkus Micronaut Vert.x Android "
    "Laravel Symfony Slim CodeIgniter Yii CakePHP Phoenix Nerves Ash Flutter Flame SwiftUI UIKit "
    "AppKit Vapor Blazor WPF GTK wxWidgets SDL raylib SFML").split()) | {
    "Django REST framework", "Hugging Face Transformers", "PyTorch Lightning", "React Native",
    "Ember.js", "Actix Web", "Bubble Tea", "gorilla/mux", "urfave/cli", "Ruby on Rails",
    "Spring Boot", "Jetpack Compose", "Compose Multiplatform", "Kotlin Multiplatform",
    "Phoenix LiveView", "ASP.NET Core", ".NET MAUI", "Windows Forms", "Dear ImGui",
    "The Composable Architecture", "Entity Framework Core", "Swift Argument Parser", "Tailwind CSS",
    "Spring WebFlux", "Netflix DGS", "Alpine.js"}

# A dependency that says which database or service the project talks to.
IMPLIED_TOOLS = table(
    "py:psycopg2=PostgreSQL; py:psycopg2-binary=PostgreSQL; py:psycopg=PostgreSQL;"
    "py:asyncpg=PostgreSQL; py:pymongo=MongoDB; py:motor=MongoDB; py:mysqlclient=MySQL;"
    "py:pymysql=MySQL; py:redis=Redis; js:mongoose=MongoDB; js:mongodb=MongoDB; js:pg=PostgreSQL;"
    "js:mysql2=MySQL; js:mysql=MySQL; js:ioredis=Redis; js:redis=Redis; js:better-sqlite3=SQLite;"
    "js:sqlite3=SQLite; js:express=Node.js; js:koa=Node.js; js:fastify=Node.js; js:@nestjs/core=Node.js;"
    "go:github.com/lib/pq=PostgreSQL; go:github.com/jackc/pgx=PostgreSQL;"
    "go:github.com/mattn/go-sqlite3=SQLite; go:modernc.org/sqlite=SQLite;"
    "go:github.com/go-sql-driver/mysql=MySQL; go:github.com/redis/go-redis=Redis;"
    "go:go.mongodb.org/mongo-driver=MongoDB; rb:pg=PostgreSQL; rb:mysql2=MySQL; rb:sqlite3=SQLite;"
    "rb:redis=Redis; ex:postgrex=PostgreSQL; ex:myxql=MySQL; ex:redix=Redis;"
    "jvm:org.postgresql=PostgreSQL; jvm:org.xerial=SQLite; jvm:com.h2database=H2;"
    "jvm:com.mysql=MySQL; jvm:mysql=MySQL; nuget:npgsql=PostgreSQL;"
    "nuget:microsoft.entityframeworkcore.sqlite=SQLite; nuget:microsoft.entityframeworkcore.sqlserver=SQL Server;"
    "nuget:npgsql.entityframeworkcore.postgresql=PostgreSQL; nuget:stackexchange.redis=Redis;"
    "dart:sqflite=SQLite; c:sqlite3=SQLite; php:predis/predis=Redis")

# Direct dependencies that say nothing to a reader (compatibility shims, type stubs).
NOISE = {
    "py": {"typing-extensions", "importlib-metadata", "importlib-resources", "dataclasses",
           "enum34", "futures", "six", "setuptools", "wheel", "pip", "exceptiongroup", "tomli",
           "backports-zoneinfo", "colorama", "packaging"},
    "js": {"tslib", "core-js", "regenerator-runtime", "react-dom", "cross-env", "dotenv", "@babel/runtime",
           "normalize.css", "script-loader", "clsx", "classnames"},
    "rs": {"cfg-if", "libc", "windows", "windows-sys", "winapi", "core-foundation", "mach2"},
    "go": {"golang.org/x/sys", "github.com/pkg/errors"},
    "jvm": {"androidx.core", "androidx.annotation", "androidx.appcompat", "androidx.activity",
            "androidx.test", "androidx.arch.core", "org.jetbrains.kotlin", "androidx.profileinstaller",
            "androidx.tracing", "com.android.tools", "io.spring.dependency-management",
            "org.jetbrains.kotlin.android", "org.jetbrains.kotlin.jvm", "java", "application",
            "java-library", "androidx.metrics", "androidx.startup", "androidx.window"},
    "dart": {"cupertino_icons"},
}


def package_display(eco: str, name: str) -> str:
    """How a dependency the tables do not know is shown: its package name, readable."""
    if eco == "go":
        path = re.sub(r"/v\d+$", "", name)
        parts = path.split("/")
        if parts[0] in ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org") and len(parts) >= 3:
            return "/".join(parts[1:3])
        if parts[0] == "golang.org" and len(parts) >= 3:
            return "/".join(parts[1:3])  # x/crypto
        return path
    if eco == "jvm":
        group, _, artifact = name.partition(":")
        return group if artifact == "plugin" else artifact
    return name
