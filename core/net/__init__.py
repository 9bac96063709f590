"""Bounded HTTP, shared by the GitHub client and the AI client: caps, deadlines, stops."""
