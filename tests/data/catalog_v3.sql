-- The catalog schema at version 3 (before issue 7), as Peewee created it.
CREATE TABLE "consumer" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "host" VARCHAR(255) NOT NULL, "pid" INTEGER NOT NULL, "workers" INTEGER NOT NULL, "started_at" DATETIME NOT NULL, "seen_at" DATETIME NOT NULL);
CREATE TABLE "profile" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL);
CREATE UNIQUE INDEX "profile_name" ON "profile" ("name");
CREATE TABLE "project" ("id" INTEGER NOT NULL PRIMARY KEY, "profile_id" INTEGER NOT NULL, "slug" VARCHAR(255) NOT NULL, "key" VARCHAR(255) NOT NULL, "github_id" INTEGER NOT NULL, "full_name" VARCHAR(255) NOT NULL, "title" VARCHAR(255) NOT NULL, "url" VARCHAR(255) NOT NULL, "description" TEXT NOT NULL, "summary" TEXT NOT NULL, "category" VARCHAR(255) NOT NULL, "tags" TEXT NOT NULL, "highlights" TEXT NOT NULL, "languages" TEXT NOT NULL, "tech_stack" TEXT NOT NULL, "stars" INTEGER NOT NULL, "forks" INTEGER NOT NULL, "license" VARCHAR(255), "default_branch" VARCHAR(255) NOT NULL, "homepage" VARCHAR(255) NOT NULL, "is_showcase" INTEGER NOT NULL, "is_private" INTEGER NOT NULL, "analyzer" VARCHAR(255) NOT NULL, "readme" TEXT NOT NULL, "readme_truncated" INTEGER NOT NULL, "imported_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, FOREIGN KEY ("profile_id") REFERENCES "profile" ("id") ON DELETE CASCADE);
CREATE INDEX "project_profile_id" ON "project" ("profile_id");
CREATE UNIQUE INDEX "project_slug" ON "project" ("slug");
CREATE UNIQUE INDEX "project_profile_id_github_id" ON "project" ("profile_id", "github_id");
CREATE UNIQUE INDEX "project_profile_id_key" ON "project" ("profile_id", "key");
CREATE INDEX "project_imported_at_id" ON "project" ("imported_at", "id");
CREATE INDEX "project_stars" ON "project" ("stars");
CREATE TABLE "job" ("id" INTEGER NOT NULL PRIMARY KEY, "profile_id" INTEGER NOT NULL, "kind" VARCHAR(255) NOT NULL, "url" VARCHAR(255) NOT NULL, "repo" VARCHAR(255) NOT NULL, "key" VARCHAR(255) NOT NULL, "status" VARCHAR(255) NOT NULL, "stage" VARCHAR(255) NOT NULL, "progress" INTEGER NOT NULL, "message" TEXT NOT NULL, "attempts" INTEGER NOT NULL, "error_code" VARCHAR(255), "error_message" TEXT, "error_suggestion" TEXT, "project_id" INTEGER, "showcase" INTEGER NOT NULL, "private" INTEGER NOT NULL, "cancel_requested" INTEGER NOT NULL, "task_id" VARCHAR(255), "worker" VARCHAR(255), "created_at" DATETIME NOT NULL, "started_at" DATETIME, "finished_at" DATETIME, "heartbeat_at" DATETIME, "deadline_at" DATETIME, "next_run_at" DATETIME, FOREIGN KEY ("profile_id") REFERENCES "profile" ("id") ON DELETE CASCADE, FOREIGN KEY ("project_id") REFERENCES "project" ("id") ON DELETE SET NULL);
CREATE INDEX "job_profile_id" ON "job" ("profile_id");
CREATE INDEX "job_key" ON "job" ("key");
CREATE INDEX "job_status" ON "job" ("status");
CREATE INDEX "job_project_id" ON "job" ("project_id");
CREATE TABLE "lease" ("profile_id" INTEGER NOT NULL PRIMARY KEY, "job_id" INTEGER NOT NULL, "acquired_at" DATETIME NOT NULL, "expires_at" DATETIME NOT NULL, FOREIGN KEY ("profile_id") REFERENCES "profile" ("id") ON DELETE CASCADE, FOREIGN KEY ("job_id") REFERENCES "job" ("id") ON DELETE CASCADE);
CREATE UNIQUE INDEX "lease_job_id" ON "lease" ("job_id");
PRAGMA user_version = 3;
