"""Build the self-hosted WOFF2 font subsets (Arabic script, Ethiopic) from Debian's fonts-noto-core.

Writes docs/assets/fonts/*.woff2 plus OFL.txt, the generated block of docs/assets/stylesheets/fonts.css
(@font-face rules, metric-matched fallback faces, font stacks) and overrides/partials/font-preload.html.
The output is byte-reproducible: the same Debian font files and the same fontTools version give the same
bytes (head.modified is copied from the source font, never set to "now"). Run with `make fonts` or
`python -m scripts fonts` (exit 0 ok, 2 usage or input error, e.g. the source fonts are missing).
"""

from __future__ import annotations

import argparse
import io
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from scripts.core.problems import display_path
from scripts.core.project import Project

if TYPE_CHECKING:
    from fontTools.subset import Options
    from fontTools.ttLib import TTFont

NOTO_DIR = Path("/usr/share/fonts/truetype/noto")
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-core/copyright")
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

# Invisible controls: Arabic letter mark, zero width (non-)joiner, LRM, RLM. Always in the core file.
INVISIBLE: tuple[Range, ...] = ((0x061C, 0x061C), (0x200B, 0x200F))

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
    family: str
    source: str
    output: str  # file name stem; "-core" / "-rest" is appended
    ranges: tuple[Range, ...]
    languages: tuple[str, ...]  # pages in these languages use the font; their content decides the core file
    css_name: str  # the stack's custom property: --site-font-<css_name>
    display: str  # font-display
    # Installed fonts (files in the Noto folder) that stand in until, or instead of, the web font, each
    # scaled to the web font's advance widths and given its line metrics, so the layout does not move
    fallbacks: tuple[str, ...] = ()
    kerning: bool = True  # False: no `kern` feature in the files, and the stack turns kerning off


# Regular weight only: bold is synthesized by the browser. Each script is split in two files with
# disjoint unicode-range: "core" holds the letters the site's content uses today (first view of a
# page downloads only it, preloaded), "rest" the remaining letters of the block (downloaded only by a
# page that uses one of them), so new content never falls back to another font.
#
# font-display: every phone has an Arabic system font (Android: Noto Naskh Arabic), but its letters are
# narrower, so swapping the web font in would re-wrap every line of the page: `optional` draws the page
# once, with the preloaded web font when it arrives within ~100 ms and else with the system font for
# this page view (the next page has it from the cache). Ethiopic: some phones have no Ethiopic font at
# all, so the text must never wait for a font it may not get: `swap`; Android's and Linux's installed
# Noto Sans Ethiopic gets the web font's metrics, so there the swap moves nothing.
# Ethiopic kerning: Noto's class kerning table is larger than all the glyph outlines of the core file
# (18 KB with it, 9 KB without, for every Tigrinya page view); Ethiopic is commonly set without kerning
# (most Ethiopic fonts have none); kerning is turned off in the stack so an installed Noto Sans Ethiopic
# sets text exactly like the web font.
SUBSETS: tuple[Subset, ...] = (
    Subset("Site Noto Sans Arabic", "NotoSansArabic-Regular.ttf", "noto-sans-arabic", ARABIC, ("ar", "fa", "ps"),
           "arabic", "optional", ("NotoSansArabic-Regular.ttf", "NotoNaskhArabic-Regular.ttf")),
    Subset("Site Noto Sans Ethiopic", "NotoSansEthiopic-Regular.ttf", "noto-sans-ethiopic", ETHIOPIC, ("ti",),
           "ethiopic", "swap", ("NotoSansEthiopic-Regular.ttf",), kerning=False),
)
CSS_BEGIN = "/* BEGIN generated by scripts/tools/fonts.py: do not edit by hand */"
CSS_END = "/* END generated by scripts/tools/fonts.py */"
PRELOAD_PARTIAL = "font-preload.html"


def used_characters(languages: Iterable[str], project: Project) -> Counter[int]:
    """How often each character occurs in the pages of these languages, in all data files (help directory,
    events, facts, UI strings of every kind) and in what the build takes from CLDR for these languages."""
    counts: Counter[int] = Counter()
    paths = [*sorted(project.data.rglob("*.yml"))]
    for code in languages:
        paths += [*sorted((project.docs / code).rglob("*.md")),
                  project.overrides / "partials" / "languages" / f"{code}.html"]
    for path in paths:
        if path.is_file():
            counts.update(ord(c) for c in path.read_text(encoding="utf-8"))
    counts.update(ord(c) for c in cldr_text(languages, project))
    return counts


def data_language_codes(project: Project) -> set[str]:
    """Every language code a data file lists under a `languages` key (help directory, events)."""
    import yaml

    codes: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "languages" and isinstance(value, list):
                    codes.update(str(v) for v in value)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted(project.data.glob("*.yml")):
        try:
            walk(yaml.safe_load(path.read_text(encoding="utf-8")))
        except yaml.YAMLError:
            continue  # the build reports it
    return codes


def strings_in(node: object) -> list[str]:
    """Every string in nested mappings (Babel's month, day and day-period tables)."""
    if isinstance(node, str):
        return [node]
    if hasattr(node, "values"):
        return [text for value in node.values() for text in strings_in(value)]
    return []


def cldr_text(languages: Iterable[str], project: Project) -> str:
    """The words pages in these languages take from CLDR (Babel) rather than from our files: month, day
    and day-period names (dates, opening hours) and the names of the languages the data files list."""
    from babel import Locale

    from scripts.core.project import babel_locale

    codes = sorted(data_language_codes(project) | set(project.codes))
    words: list[str] = []
    for lang in languages:
        locale = Locale.parse(babel_locale(lang))
        if locale.language != lang.split("-")[0]:
            continue  # Babel does not know the language (babel_locale falls back to English)
        for names in (locale.months, locale.days, locale.day_periods):
            words.extend(strings_in(names))
        words.extend(str(locale.languages.get(code.replace("-", "_").split("_")[0], "")) for code in codes)
    return " ".join(str(word) for word in words)


def used_codepoints(languages: Iterable[str], project: Project) -> set[int]:
    """Every character in the content, data and theme partials of these languages."""
    return set(used_characters(languages, project))


def to_ranges(points: Iterable[int]) -> tuple[Range, ...]:
    ranges: list[list[int]] = []
    for cp in sorted(set(points)):
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return tuple((a, b) for a, b in ranges)


def split_ranges(item: Subset, used: set[int]) -> tuple[tuple[Range, ...], tuple[Range, ...]]:
    """(core, rest): core = block letters in use plus the basics and the invisible direction and joining
    controls (a text that only adds an RLM must not download the rest file), rest = the others."""
    block = set(codepoints(item.ranges))
    basic = set(codepoints(BASIC))
    core = (block & used) | basic | (block & set(codepoints(INVISIBLE)))
    return to_ranges(core), to_ranges(block - core)


@dataclass(frozen=True)
class Metrics:
    """Line metrics as fractions of the em (what CSS ascent-/descent-/line-gap-override take)."""
    ascent: float
    descent: float
    line_gap: float


def line_metrics(font: TTFont) -> Metrics:
    """The metrics browsers lay lines out with: OS/2 typo values when USE_TYPO_METRICS is set, else hhea."""
    upm = font["head"].unitsPerEm
    os2 = font["OS/2"]
    if os2.fsSelection & (1 << 7):
        return Metrics(os2.sTypoAscender / upm, -os2.sTypoDescender / upm, os2.sTypoLineGap / upm)
    hhea = font["hhea"]
    return Metrics(hhea.ascent / upm, -hhea.descent / upm, hhea.lineGap / upm)


def average_advance(font: TTFont, weights: Counter[int]) -> float:
    """Mean advance width (in em) of these characters, each counted as often as the site's text uses it."""
    cmap = font.getBestCmap()
    metrics = font["hmtx"]
    total = sum(count * metrics[cmap[cp]][0] for cp, count in weights.items())
    return total / sum(weights.values()) / font["head"].unitsPerEm


def percent(value: float) -> str:
    return f"{value * 100:.2f}".rstrip("0").rstrip(".") + "%"


def overrides_css(metrics: Metrics, size_adjust: float = 1.0) -> str:
    """Descriptors that give a face these line metrics; size-adjust scales the overrides too (CSS Fonts 5),
    so they are divided by it."""
    text = "" if size_adjust == 1.0 else f"  size-adjust: {percent(size_adjust)};\n"
    return text + (f"  ascent-override: {percent(metrics.ascent / size_adjust)};\n"
                   f"  descent-override: {percent(metrics.descent / size_adjust)};\n"
                   f"  line-gap-override: {percent(metrics.line_gap / size_adjust)};\n")


def font_face_css(family: str, filename: str, ranges: Iterable[Range], display: str = "swap",
                  metrics: Metrics | None = None) -> str:
    """A web font face; with `metrics`, its line metrics are pinned (the same on every system)."""
    return (f'@font-face {{\n  font-family: "{family}";\n  font-style: normal;\n  font-weight: 400;\n'
            f"  font-display: {display};\n" + (overrides_css(metrics) if metrics else "")
            + f'  src: url("../fonts/{filename}") format("woff2");\n'
            f"  unicode-range: {unicode_range(ranges)};\n}}\n")


@dataclass(frozen=True)
class FallbackFace:
    family: str  # our name for it in the stack
    names: tuple[str, ...]  # full and PostScript name: what local() matches
    size_adjust: float
    metrics: Metrics  # the web font's, to be given to this font


def fallback_face(item: Subset, web: TTFont, local: TTFont, weights: Counter[int]) -> FallbackFace:
    """An installed font made to take the web font's space: same mean advance width over the site's
    text of this script, same line metrics."""
    names = local["name"]
    full, postscript = str(names.getDebugName(4)), str(names.getDebugName(6))
    family = str(names.getDebugName(16) or names.getDebugName(1))
    both = set(web.getBestCmap()) & set(local.getBestCmap())
    used = Counter({cp: n for cp, n in weights.items() if cp in both})
    size_adjust = round(average_advance(web, used) / average_advance(local, used), 4) if used else 1.0
    return FallbackFace(f"Site {family} Local", (full, postscript), size_adjust, line_metrics(web))


def fallback_face_css(face: FallbackFace, ranges: Iterable[Range]) -> str:
    """Installed font only (never downloaded), for the same characters as the web font (digits, spaces and
    punctuation too: they must not change font, and so width, when the web font arrives)."""
    sources = ", ".join(f'local("{name}")' for name in face.names)
    return (f'@font-face {{\n  font-family: "{face.family}";\n  font-style: normal;\n  font-weight: 400;\n'
            f"  src: {sources};\n" + overrides_css(face.metrics, face.size_adjust)
            + f"  unicode-range: {unicode_range(ranges)};\n}}\n")


def stacks_css(stacks: list[tuple[Subset, list[str]]]) -> str:
    """The font stacks, used only on pages in the script's languages: a language name or a line in another
    script (events, help directory, 404) keeps the system font instead of downloading a whole font for it.
    The variables carry the stack to Material's components; font-family is excluded on code so :lang()
    (which matches every element of the page) does not undo the monospace font."""
    variables = "".join(f"  --site-font-{item.css_name}: {', '.join(f'{chr(34)}{f}{chr(34)}' for f in families)};\n"
                        for item, families in stacks)
    out = [f":root {{\n{variables}}}\n"]
    for item, _ in stacks:
        pages = ", ".join(f"html:lang({code})" for code in item.languages)
        parts = ", ".join(f":lang({code})" for code in item.languages)
        scope = f":is({pages}) :is({parts})"
        stack = f"var(--site-font-{item.css_name})"
        out.append(f"{scope} {{\n  --md-text-font-family: {stack}, var(--site-font-latin);\n"
                   f"  --md-code-font-family: var(--site-font-mono), {stack};\n}}\n"
                   f"{scope}:not(code, kbd, pre, samp, pre *, code *) {{\n"
                   f"  font-family: {stack}, var(--site-font-latin);\n"
                   # Material sets font-feature-settings "kern" on body, which outranks font-kerning
                   + ("" if item.kerning else '  font-kerning: none;\n  font-feature-settings: "kern" 0;\n')
                   + "}\n")
    return "\n".join(out)


def write_css(faces: list[str], css_file: Path) -> None:
    """Replace the generated block of fonts.css, keeping the hand-written part."""
    text = css_file.read_text(encoding="utf-8")
    head, _, tail = text.partition(CSS_BEGIN)
    _, _, tail = tail.partition(CSS_END)
    css_file.write_text(head + CSS_BEGIN + "\n" + "\n".join(faces) + CSS_END + tail, encoding="utf-8")


def preload_partial(subsets: Iterable[Subset]) -> str:
    """Jinja partial for <head>: preload the core file of the page language's script (only that one)."""
    files = {code: f"{item.output}-core.woff2" for item in subsets for code in item.languages}
    mapping = ", ".join(f'"{code}": "{name}"' for code, name in files.items())
    return ("{#- Generated by scripts/tools/fonts.py (python -m scripts fonts): do not edit by hand.\n"
            "    The core font file of the page language's script, fetched at once instead of after the CSS. -#}\n"
            f"{{%- set core = {{{mapping}}}.get(i18n_page_locale or '') %}}\n"
            "{%- if core %}\n"
            "<link rel=\"preload\" href=\"{{ ('assets/fonts/' ~ core) | url }}\" as=\"font\" type=\"font/woff2\"\n"
            "      crossorigin>\n"
            "{%- endif %}\n")


def codepoints(ranges: Iterable[Range]) -> list[int]:
    return sorted({cp for first, last in ranges for cp in range(first, last + 1)})


def unicode_range(ranges: Iterable[Range]) -> str:
    """CSS unicode-range value for the ranges, as written in fonts.css."""
    return ", ".join(f"U+{a:04X}" if a == b else f"U+{a:04X}-{b:04X}" for a, b in ranges)


def subset_options(kerning: bool = True) -> Options:
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False  # drop TrueType instructions, fpgm/prep/cvt
    options.desubroutinize = True
    options.layout_features = sorted(set(options.layout_features) | set(REQUIRED_FEATURES))
    if not kerning:
        options.layout_features = [tag for tag in options.layout_features if tag != "kern"]
    options.name_IDs = list(NAME_IDS)
    options.name_languages = [0x0409]  # English (Windows); Mac names dropped
    options.name_legacy = False
    options.notdef_outline = True
    options.recalc_timestamp = False  # keep head.modified from the source: reproducible bytes
    options.recalc_bounds = True
    return options


def build_subset(source: Path, ranges: Iterable[Range], kerning: bool = True) -> bytes:
    from fontTools import subset

    options = subset_options(kerning)
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
    parser = argparse.ArgumentParser(prog="python -m scripts fonts", description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=NOTO_DIR, help=f"folder of the Noto TTFs ({NOTO_DIR})")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: docs/assets/fonts)")
    parser.add_argument("--copyright", type=Path, default=DEBIAN_COPYRIGHT, help="Debian copyright file")
    args = parser.parse_args(argv)
    project = Project.load()
    assets = project.docs / "assets"
    args.out = args.out or assets / "fonts"

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

    from fontTools.ttLib import TTFont

    args.out.mkdir(parents=True, exist_ok=True)
    faces = []
    stacks: list[tuple[Subset, list[str]]] = []
    for item in SUBSETS:
        counts = used_characters(item.languages, project)
        core, rest = split_ranges(item, set(counts))
        with TTFont(str(args.source / item.source), lazy=True) as web:
            metrics = line_metrics(web)
            for part, ranges in (("core", core), ("rest", rest)):
                if not ranges:
                    continue
                data = build_subset(args.source / item.source, ranges, item.kerning)
                target = args.out / f"{item.output}-{part}.woff2"
                target.write_bytes(data)
                faces.append(font_face_css(item.family, target.name, ranges, item.display, metrics))
                print(f"{display_path(target)}: {len(data) / 1024:.1f} KB ({len(codepoints(ranges))} characters)")
            families = [item.family]
            letters = set(codepoints(item.ranges)) - set(codepoints(BASIC))
            weights = Counter({cp: n for cp, n in counts.items() if cp in letters})
            for name in item.fallbacks:
                if not (args.source / name).is_file():
                    continue
                with TTFont(str(args.source / name), lazy=True) as local:
                    face = fallback_face(item, web, local, weights)
                faces.append(fallback_face_css(face, item.ranges))
                families.append(face.family)
                print(f"fallback {face.names[0]}: size-adjust {percent(face.size_adjust)}")
            stacks.append((item, families))
    for stale in sorted(set(args.out.glob("*.woff2")) - {args.out / f"{i.output}-{p}.woff2" for i in SUBSETS
                                                       for p in ("core", "rest")}):
        stale.unlink()
    faces.append(stacks_css(stacks))
    write_css(faces, assets / "stylesheets" / "fonts.css")
    partial = project.overrides / "partials" / PRELOAD_PARTIAL
    partial.write_text(preload_partial(SUBSETS), encoding="utf-8")
    print(f"{display_path(partial)}")

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
