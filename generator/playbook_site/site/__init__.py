"""The site: a `Playbook` rendered into pages, navigation, assets and exports, and the MkDocs adapter
(`mkdocs_plugin`, the only module that imports MkDocs)."""
