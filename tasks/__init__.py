"""The import queue: Huey on SQLite, the in-process consumer, progress events. No Qt."""
