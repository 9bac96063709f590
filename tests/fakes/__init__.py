"""Real loopback servers and data that tests import and run against (no mocks of our code)."""
