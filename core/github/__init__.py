"""GitHub REST client: fetches a repository into a :class:`RepoSnapshot`."""
