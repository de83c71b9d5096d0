"""Split the one merged lunr search index into one index per language.

static-i18n writes a single `search/search_index.json` for all languages; every reader would
download all of them. Here each language gets `<lang>/search/search_index.json` (and the
`search_index.js` twin Material loads from file://) holding only its own pages, with the lunr
settings of that language.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from scripts.core.project import language_root

# Used when a language has no lunr stemmer: split on white space and the punctuation of
# Latin, Arabic (، ؛ ؟ ٪) and Ethiopic (፡ ። ፣ ፤ ፥ ፦ ፧ ፨) script, since lunr's default trimmer
# (\W) would strip every non-Latin letter and find nothing.
UNIVERSAL_SEPARATOR = "[\\s\\-.,;:!?()\\[\\]{}«»\"'“”„‘’/\\u060c\\u061b\\u061f\\u066a\\u1361-\\u1368]+"


@dataclass(frozen=True)
class SearchSettings:
    lang: str = "en"
    separator: str = "[\\s\\-]+"
    pipeline: tuple[str, ...] = field(default=("stopWordFilter",))

    def as_config(self) -> dict[str, object]:
        separator = self.separator
        # Material drops lunr's trimmer unless the pipeline names it: punctuation must then be
        # split off by the separator, or tokens like «word» and ።-terminated words never match
        if "trimmer" not in self.pipeline and self.separator == "[\\s\\-]+":
            separator = UNIVERSAL_SEPARATOR
        return {"lang": [self.lang], "separator": separator, "pipeline": [p for p in self.pipeline if p.strip()]}


def language_of(location: str, codes: list[str], default: str) -> tuple[str, str]:
    """(language, location inside that language) for an index entry's location."""
    head, _, rest = location.partition("/")
    if head in codes and head != default and _:
        return head, rest
    return default, location


def split_index(merged: dict, codes: list[str], default: str,
                settings: dict[str, SearchSettings]) -> dict[str, dict]:
    """One lunr index document per language; locations made relative to that language's root."""
    per_language: dict[str, dict] = {}
    for code in codes:
        config = dict(merged.get("config", {}))
        config.update(settings.get(code, SearchSettings()).as_config())
        per_language[code] = {"config": config, "docs": []}
    for doc in merged.get("docs", []):
        code, location = language_of(doc.get("location", ""), codes, default)
        per_language[code]["docs"].append({**doc, "location": location})
    return per_language


def write_indexes(site_dir: Path, codes: list[str], default: str,
                  settings: dict[str, SearchSettings]) -> dict[str, int]:
    """Replace the merged index by per-language ones; return the JSON size per language."""
    merged_path = site_dir / "search" / "search_index.json"
    merged = json.loads(merged_path.read_text(encoding="utf-8"))
    sizes = {}
    for code, index in split_index(merged, codes, default, settings).items():
        folder = language_root(site_dir, code, default) / "search"
        folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
        (folder / "search_index.json").write_text(text, encoding="utf-8")
        # Material loads this twin with a <script> tag when the page is opened from file://
        (folder / "search_index.js").write_text(f"var __index = {text};\n", encoding="utf-8")
        sizes[code] = len(text.encode("utf-8"))
    return sizes
