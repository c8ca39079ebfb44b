"""Everything that touches git, mike or an engine's build: reading revisions, building a site safely,
publishing versions to the `gh-pages` branch."""
