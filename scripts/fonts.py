"""Build the self-hosted WOFF2 font subsets (Arabic script, Ethiopic) from Debian's fonts-noto-core.

Writes docs/assets/fonts/*.woff2 plus OFL.txt. The output is byte-reproducible: the same Debian
font files and the same fontTools version give the same bytes (head.modified is copied from the
source font, never set to "now"). Run with `make fonts` or `python -m scripts.fonts`
(exit 0 ok, 2 usage or input error, e.g. the source fonts are missing).
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from scripts.errors import display_path
from scripts.project import ROOT

if TYPE_CHECKING:
    from fontTools.subset import Options

NOTO_DIR = Path("/usr/share/fonts/truetype/noto")
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-core/copyright")
OUT_DIR = ROOT / "docs" / "assets" / "fonts"
INSTALL_HINT = "install Debian fonts-noto-core (make fonts does it)"

Range = tuple[int, int]

# Space, digits and ASCII punctuation (U+0020-0040), no-break space, « »: mixed lines stay in one font.
BASIC: tuple[Range, ...] = ((0x0020, 0x0040), (0x00A0, 0x00A0), (0x00AB, 0x00AB), (0x00BB, 0x00BB))

# The whole basic Arabic block covers Arabic, Persian, Pashto and Sorani Kurdish letters, the
# Arabic-Indic (U+0660-0669) and Persian (U+06F0-06F9) digits, ، ؛ ؟ (U+060C/061B/061F) and
# ٪ ٫ ٬ ٭ (U+066A-066D). Arabic Supplement (U+0750-077F) is left out: none of ar/fa/ps needs it
# and it would add about 3 KB per weight.
ARABIC: tuple[Range, ...] = BASIC + (
    (0x0600, 0x06FF),  # Arabic
    (0x200C, 0x200F),  # ZWNJ (Persian half-space), ZWJ, LRM, RLM
    (0xFD3E, 0xFD3F),  # ornate parentheses ﴾ ﴿
)

# Ethiopic main block only (syllabary U+1200-135A, combining marks U+135D-135F, punctuation
# U+1360-1368, numerals U+1369-137C). Ethiopic Supplement/Extended/Extended-A are not used by Tigrinya.
ETHIOPIC: tuple[Range, ...] = BASIC + (
    (0x1200, 0x135A),
    (0x135D, 0x137C),
)

# Default-on shaping features (HarfBuzz's list, as fontTools keeps by default), which include
# init/medi/fina/isol/liga/rlig/calt/ccmp/locl/mark/mkmk/kern/curs. Not "*": the fonts' `aalt` and
# `dlig` are never applied by browsers by default but their closure pulls in ~500 extra Arabic
# glyphs (37 KB instead of 23 KB for Arabic regular).
REQUIRED_FEATURES = ("init", "medi", "fina", "isol", "liga", "rlig", "calt", "ccmp", "mark", "mkmk", "kern")

# name table: family/style/version (0-6), trademark (7), licence description and URL (13, 14)
NAME_IDS = (0, 1, 2, 3, 4, 5, 6, 7, 13, 14)


@dataclass(frozen=True)
class Subset:
    source: str
    output: str
    ranges: tuple[Range, ...]


SUBSETS: tuple[Subset, ...] = (
    Subset("NotoSansArabic-Regular.ttf", "noto-sans-arabic-regular.woff2", ARABIC),
    Subset("NotoSansArabic-Bold.ttf", "noto-sans-arabic-bold.woff2", ARABIC),
    Subset("NotoSansEthiopic-Regular.ttf", "noto-sans-ethiopic-regular.woff2", ETHIOPIC),
    Subset("NotoSansEthiopic-Bold.ttf", "noto-sans-ethiopic-bold.woff2", ETHIOPIC),
)


def codepoints(ranges: Iterable[Range]) -> list[int]:
    return sorted({cp for first, last in ranges for cp in range(first, last + 1)})


def unicode_range(ranges: Iterable[Range]) -> str:
    """CSS unicode-range value for the ranges, as written in fonts.css."""
    return ", ".join(f"U+{a:04X}" if a == b else f"U+{a:04X}-{b:04X}" for a, b in ranges)


def subset_options() -> Options:
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False  # drop TrueType instructions, fpgm/prep/cvt
    options.desubroutinize = True
    options.layout_features = sorted(set(options.layout_features) | set(REQUIRED_FEATURES))
    options.name_IDs = list(NAME_IDS)
    options.name_languages = [0x0409]  # English (Windows); Mac names dropped
    options.name_legacy = False
    options.notdef_outline = True
    options.recalc_timestamp = False  # keep head.modified from the source: reproducible bytes
    options.recalc_bounds = True
    return options


def build_subset(source: Path, ranges: Iterable[Range]) -> bytes:
    from fontTools import subset

    options = subset_options()
    font = subset.load_font(str(source), options, dontLoadGlyphNames=False)
    try:
        subsetter = subset.Subsetter(options=options)
        subsetter.populate(unicodes=codepoints(ranges))
        subsetter.subset(font)
        buffer = io.BytesIO()
        subset.save_font(font, buffer, options)
    finally:
        font.close()
    return buffer.getvalue()


def ofl_text(copyright_file: Path, font_copyrights: Iterable[str]) -> str:
    """The OFL 1.1 text as Debian ships it (the stand-alone `License: OFL-1.1` paragraph)."""
    lines = copyright_file.read_text(encoding="utf-8").splitlines()
    body: list[str] | None = None
    for index, line in enumerate(lines):
        # the stand-alone licence paragraph starts a paragraph (blank line before it)
        if line.strip() == "License: OFL-1.1" and (index == 0 or not lines[index - 1].strip()):
            body = []
            for text in lines[index + 1 :]:
                if not text.startswith(" "):
                    break
                body.append("" if text.strip() == "." else text[1:])
            break
    if not body:
        raise ValueError(f"{display_path(copyright_file)}: no stand-alone 'License: OFL-1.1' paragraph")
    header = [
        *sorted(set(font_copyrights)),
        "",
        "This Font Software is licensed under the SIL Open Font License, Version 1.1.",
        "This license is copied below (from Debian's /usr/share/doc/fonts-noto-core/copyright),",
        "and is also available with a FAQ at: https://openfontlicense.org",
        "",
        "-----------------------------------------------------------",
        "SIL OPEN FONT LICENSE Version 1.1 - 26 February 2007",
        "-----------------------------------------------------------",
        "",
    ]
    return "\n".join(header + body).rstrip() + "\n"


def font_copyright(source: Path) -> str:
    from fontTools.ttLib import TTFont

    with TTFont(str(source), lazy=True) as font:
        record = font["name"].getName(0, 3, 1, 0x409) or font["name"].getName(0, 1, 0, 0)
        return str(record) if record else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.fonts", description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=NOTO_DIR, help=f"folder of the Noto TTFs ({NOTO_DIR})")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder (docs/assets/fonts)")
    parser.add_argument("--copyright", type=Path, default=DEBIAN_COPYRIGHT, help="Debian copyright file")
    args = parser.parse_args(argv)

    missing = [args.source / s.source for s in SUBSETS if not (args.source / s.source).is_file()]
    if not args.copyright.is_file():
        missing.append(args.copyright)
    if missing:
        for path in missing:
            print(f"error: {path} not found", file=sys.stderr)
        print(f"    fix: {INSTALL_HINT}", file=sys.stderr)
        return 2
    try:
        import brotli  # noqa: F401  (needed by fontTools for WOFF2)
        from fontTools import subset  # noqa: F401
    except ImportError as exc:
        print(f"error: {exc}\n    fix: install fonttools[woff] and brotli (make venv does it)", file=sys.stderr)
        return 2

    args.out.mkdir(parents=True, exist_ok=True)
    for item in SUBSETS:
        data = build_subset(args.source / item.source, item.ranges)
        target = args.out / item.output
        target.write_bytes(data)
        print(f"{display_path(target)}: {len(data) / 1024:.1f} KB")

    try:
        text = ofl_text(args.copyright, (font_copyright(args.source / s.source) for s in SUBSETS))
    except ValueError as exc:
        print(f"error: {exc}\n    fix: {INSTALL_HINT}", file=sys.stderr)
        return 2
    licence = args.out / "OFL.txt"
    licence.write_text(text, encoding="utf-8", newline="\n")
    print(f"{display_path(licence)}: {len(text.encode()) / 1024:.1f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
