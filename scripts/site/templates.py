"""Jinja speed-ups for the ten per-language builds in one process: compiled templates and the theme's folder
listing are shared instead of being made again for every language."""

from __future__ import annotations

import jinja2
import jinja2.bccache


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates shared by the ten per-language builds (keyed by source checksum)."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._store:
            bucket.bytecode_from_string(self._store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


class ListingCacheLoader(jinja2.FileSystemLoader):
    """FileSystemLoader that lists the theme folders (thousands of icons) once per build, not ten times."""

    listings: dict[tuple[str, ...], list[str]] = {}

    def list_templates(self) -> list[str]:
        key = tuple(str(p) for p in self.searchpath)
        if key not in self.listings:
            # hidden folders (Material's ~14,000 .icons) are never copied as static files
            # (MkDocs filters "*/.*" out) but filtering them costs 0.1 s per language build
            self.listings[key] = [n for n in super().list_templates() if not n.startswith(".")]
        return self.listings[key]


_BYTECODE = MemoryBytecodeCache()


def fast_env(theme) -> jinja2.Environment:
    """The theme's Jinja environment, sharing compiled templates and the folder listing across languages."""
    env = type(theme).get_env(theme)
    # static-i18n inserts its sitemap folder into theme.dirs once per language: drop repeats
    theme.dirs[:] = list(dict.fromkeys(theme.dirs))
    loader = ListingCacheLoader(theme.dirs)
    env.loader = loader
    env.bytecode_cache = _BYTECODE
    return env
