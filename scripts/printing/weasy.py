"""WeasyPrint's log filtered to what editors can act on, the check that every character has a PDF font, and
`Renderer`: many documents rendered in one process with the stylesheets parsed and the fonts loaded once.
"""

from __future__ import annotations

import gc
import html
import logging
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from scripts.printing.render import font_files, split_styles, stylesheets

# ---- WeasyPrint's log --------------------------------------------------------------------------------

# Messages nobody editing content can act on: CSS WeasyPrint does not support (the rule is there for the
# web), and notices about how fonts are subset. Everything else (fonts that cannot be loaded, images that
# cannot be read, too many missing glyphs) is shown.
_NOISE = (
    re.compile(r"^Ignored `unicode-bidi\s*:"),
    re.compile(r"HarfBuzz-Subset|Unable to subset|\bsubset(ting)?\b.*\bfont\b|NOT subset", re.I),
)


def is_noise(logger: str, message: str, level: int = logging.WARNING) -> bool:
    """True for a WeasyPrint or fontTools log message that is left out of the build output."""
    if logger.split(".")[0] == "fontTools" and level < logging.ERROR:
        return True
    return any(pattern.search(message) for pattern in _NOISE)


class _Collect(logging.Handler):
    def __init__(self, messages: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not is_noise(record.name, message, record.levelno) and message not in self.messages:
            self.messages.append(message)


@contextmanager
def captured_warnings() -> Iterator[list[str]]:
    """WeasyPrint's and fontTools' warnings while rendering, without the noise (see `is_noise`); nothing
    of theirs reaches the terminal directly."""
    messages: list[str] = []
    handler = _Collect(messages)
    loggers = [logging.getLogger("weasyprint"), logging.getLogger("fontTools")]
    saved = [(logger, logger.propagate) for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.propagate = False
    try:
        yield messages
    finally:
        for logger, propagate in saved:
            logger.removeHandler(handler)
            logger.propagate = propagate


# ---- every character needs a font --------------------------------------------------------------------

_NO_GLYPH_NEEDED = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


@lru_cache(maxsize=4)
def _codepoints(paths: tuple[Path, ...]) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    covered: set[int] = set()
    for path in paths:
        font = TTFont(path, lazy=True)
        covered |= set(font.getBestCmap() or {})
        font.close()
    return frozenset(covered)


def covered_codepoints() -> frozenset[int]:
    """Every character the PDF fonts (FONTS) have a glyph for."""
    return _codepoints(tuple(path for *_, path in font_files()))


def missing_glyphs(document: str) -> str:
    """The characters of a document's text that no PDF font has (they would print as empty boxes), sorted."""
    text = re.sub(r"<(style|script)\b.*?</\1>", " ", document, flags=re.S | re.I)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    covered = covered_codepoints()
    return "".join(sorted(c for c in set(text)
                          if ord(c) not in covered and unicodedata.category(c) not in _NO_GLYPH_NEEDED))


# ---- rendering many documents in one process ---------------------------------------------------------

class Renderer:
    """Writes PDFs one document after the other in this process, doing once what is the same for every
    document: the `stylesheets()` (parsed once, with one font configuration, so every @font-face font is
    read once and Pango's font caches stay warm across documents). A PDF is byte-identical to one rendered
    on its own: the stylesheets apply as user stylesheets instead of the document's <style>, and the
    documents' only other CSS, inline style attributes, wins over both alike. A document whose <style>
    is not exactly what `render._document` writes is rendered as it is. (pdf.css has no @counter-style
    rules: WeasyPrint would keep those per CSS object, not per font configuration.)"""

    def __init__(self) -> None:
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        self._font_config: FontConfiguration | None = FontConfiguration()
        with captured_warnings() as messages:
            self._sheets = {name: weasyprint.CSS(string=text, font_config=self._font_config)
                            for name, text in stylesheets().items()}
        self._setup_warnings = messages      # e.g. a font that cannot be loaded: it concerns every PDF

    def write_pdf(self, document: str, base_url: str, target: Path) -> list[str]:
        """`document` as a PDF into `target`; returns WeasyPrint's warnings without the noise."""
        import weasyprint

        split = split_styles(document)
        with captured_warnings() as messages:
            if split is None:
                weasyprint.HTML(string=document, base_url=base_url).write_pdf(target)
            else:
                html_text, names = split
                weasyprint.HTML(string=html_text, base_url=base_url).write_pdf(
                    target, stylesheets=[self._sheets[name] for name in names], font_config=self._font_config)
        return list(dict.fromkeys([*(self._setup_warnings if split else []), *messages]))

    def close(self) -> None:
        """Let go of the fonts: WeasyPrint deletes its temporary copies of them with the font configuration."""
        self._sheets.clear()
        self._font_config = None
        gc.collect()

