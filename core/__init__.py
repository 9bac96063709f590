"""Repofolio's domain: URLs, catalog, GitHub client, analysis and the importer. No Qt, no Huey."""
