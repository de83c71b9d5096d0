"""MkDocs hook entry (mkdocs.yml `hooks:`): hands MkDocs events to scripts/site/hooks.py."""

import sys
from pathlib import Path

# fixture sites and `mkdocs serve` load this file by path: make the project importable
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.site.hooks import (  # noqa: E402,F401
    on_config,
    on_env,
    on_files,
    on_page_context,
    on_page_markdown,
    on_post_build,
    on_post_page,
    on_post_template,
    on_startup,
)
