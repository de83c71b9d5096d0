"""Domain logic of the handout site: plain Python, no MkDocs imports (see DESIGN.md §1)."""
