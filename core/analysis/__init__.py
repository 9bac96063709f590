"""Turns a RepoSnapshot into portfolio text: tech stack, description, tags, category."""
