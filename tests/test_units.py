"""Unit tests of the plain-Python logic (no MkDocs build)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts.checks import content
from scripts.core import strings as sitestrings
from scripts.core.project import Project
from scripts.site import htmlpost, searchindex

PROJECT = Project.load()

# ---- content preflight -------------------------------------------------------------------


def _docs(tmp_path: Path, files: dict[str, bytes | str]) -> Path:
    docs = tmp_path / "docs"
    for rel, data in files.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return docs


def test_clean_page_has_no_problems(tmp_path):
    docs = _docs(tmp_path, {"de/a.md": "---\ntitle: A\ndescription: B\n---\n# A\n"})
    assert content.check_tree(docs, ["de"]) == []


def test_broken_front_matter_names_file_and_line(tmp_path):
    docs = _docs(tmp_path, {"de/a.md": "---\ntitle: A\ndescription: Hilfe: jetzt: sofort\n---\n# A\n"})
    [problem] = content.check_tree(docs, ["de"])
    assert problem.path.endswith("de/a.md") and problem.line == 3
    assert "front matter is not valid YAML" in problem.message and "double quotes" in problem.fix


def test_unclosed_front_matter(tmp_path):
    docs = _docs(tmp_path, {"de/a.md": "---\ntitle: A\n# A\n"})
    [problem] = content.check_tree(docs, ["de"])
    assert "never closed" in problem.message and problem.line == 1


def test_non_utf8_file_names_line(tmp_path):
    docs = _docs(tmp_path, {"de/a.md": b"# Titel\n\nGewalt ist\n" + "nie in Ordnung: Ä".encode("latin-1")})
    [problem] = content.check_tree(docs, ["de"])
    assert problem.line == 4 and "not UTF-8" in problem.message and "UTF-8" in problem.fix


def test_unknown_language_folder(tmp_path):
    docs = _docs(tmp_path, {"de/a.md": "# A\n", "xx/a.md": "# A\n"})
    [problem] = content.check_tree(docs, ["de", "en"])
    assert "`xx` is not a language" in problem.message and "mkdocs.yml" in problem.fix


def test_page_outside_language_folder(tmp_path):
    docs = _docs(tmp_path, {"de/a.md": "# A\n", "loose.md": "# A\n"})
    [problem] = content.check_tree(docs, ["de"])
    assert "outside every language folder" in problem.message


def test_content_cli_exit_codes(tmp_path, capsys):
    docs = _docs(tmp_path, {"de/a.md": "---\n: :\n---\n"})
    assert content.main([str(docs)]) == 1
    assert "de/a.md:2:" in capsys.readouterr().out
    assert content.main([str(tmp_path / "missing")]) == 2


# ---- UI strings -----------------------------------------------------------------------------


def test_strings_missing_key_and_unknown_key(tmp_path):
    (tmp_path / "de.yml").write_text("site_name: Leben ohne Gewalt\nfallback_notice: Hinweis\n", encoding="utf-8")
    (tmp_path / "en.yml").write_text("site_name: Life without violence\nfalback_notice: typo\n", encoding="utf-8")
    problems = sitestrings.check_strings(tmp_path, ["en"], sitestrings.REQUIRED_KEYS)
    assert any(Path(p.path).name == "de.yml" and "`site_description`" in p.message for p in problems)
    messages = [(Path(p.path).name, p.line, p.message) for p in problems]
    assert ("en.yml", 1, "UI string `fallback_notice` is missing or empty") in messages
    assert ("en.yml", 2, "unknown key `falback_notice` (not in de.yml)") in messages


def test_strings_bad_yaml(tmp_path):
    (tmp_path / "de.yml").write_text("".join(f"{k}: x\n" for k in sitestrings.REQUIRED_KEYS), encoding="utf-8")
    (tmp_path / "ar.yml").write_text("site_name: [unclosed\n", encoding="utf-8")
    [problem] = sitestrings.check_strings(tmp_path, ["ar"])
    assert problem.path.endswith("ar.yml") and "invalid YAML" in problem.message


def test_real_strings_complete_in_all_languages():
    codes = [lang.code for lang in Project.load().languages]
    assert len(codes) == 10
    assert sitestrings.check_strings(PROJECT.strings_dir(), codes, sitestrings.REQUIRED_KEYS) == []
    names = {code: PROJECT.strings(code)["language_name"] for code in codes}
    assert names["ar"] == "العربية" and names["ti"] == "ትግርኛ" and names["de"] == "Deutsch"


# ---- HTML post-processing ----------------------------------------------------------------


PAGE = """<!doctype html><html lang="ar" class="no-js"><head><meta charset="utf-8">
<link rel="alternate" href="../en/index.html" hreflang="en">
<script>__md_scope=new URL("../ar/",location),__md_hash=e=>e</script><script>var a=1</script>
<script id="__config" type="application/json">{"x":1}</script>
<script src="x.js"></script></head><body dir="rtl"><p>x</p></body></html>"""


def test_dir_copied_to_html():
    out = htmlpost.copy_dir_to_html(PAGE)
    assert '<html lang="ar" class="no-js" dir="rtl">' in out


def test_csp_hashes_only_the_themes_executable_inline_scripts():
    hashes = htmlpost.inline_script_hashes(PAGE)
    # the theme's scope script; never `var a=1` (a script from anywhere else is not allowed by hash)
    assert len(hashes) == 1 and hashes[0].startswith("'sha256-")
    out = htmlpost.add_csp(PAGE)
    meta_at = out.index('http-equiv="Content-Security-Policy"')
    assert meta_at < out.index("<script")
    assert "default-src 'self'" in out and hashes[0] in out and "https:" not in out


def test_alternate_links_dropped():
    assert "rel=\"alternate\"" not in htmlpost.drop_alternate_links(PAGE)


def test_relativize_root_links():
    html = '<a href="/en/">x</a><link href="/assets/a.css"><a href="//example.org/">y</a><a href="/">z</a>'
    out = htmlpost.relativize_root_links(html)
    assert 'href="en/index.html"' in out and 'href="assets/a.css"' in out
    assert 'href="//example.org/"' in out and 'href="index.html"' in out


def test_tables_wrapped_at_build_time_like_material_does_at_run_time():
    html = ('<article><table>\n<tr><td><table class="own"><tr><td>a</td></tr></table></td></tr></table>'
            '<p>x</p><TABLE><tr><td>b</td></tr></TABLE></article>')
    out = htmlpost.wrap_tables(html)
    wrapper = '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="site-table">'
    assert out.count(wrapper) == 2 and out.count("</table></div></div>") == 1 and "</TABLE></div></div>" in out
    assert '<table class="own"><tr><td>a</td></tr></table></td>' in out  # tables with a class: left alone
    assert htmlpost.wrap_tables(out) == out


# ---- fonts -----------------------------------------------------------------------------------


def test_font_core_always_has_the_basics_and_invisible_controls():
    from scripts.tools import fonts

    arabic = next(s for s in fonts.SUBSETS if s.css_name == "arabic")
    core, rest = fonts.split_ranges(arabic, {0x0628, 0x0644})
    core_points = set(fonts.codepoints(core))
    assert {0x0628, 0x0644, 0x0020, 0x0039, 0x00AB, 0x200C, 0x200F, 0x061C} <= core_points
    assert 0x0645 in set(fonts.codepoints(rest)) and not core_points & set(fonts.codepoints(rest))


def test_font_metric_overrides_are_scaled_by_size_adjust():
    from scripts.tools import fonts

    metrics = fonts.Metrics(1.374, 0.738, 0.0)
    plain = fonts.overrides_css(metrics)
    assert "ascent-override: 137.4%;" in plain and "size-adjust" not in plain
    css = fonts.overrides_css(metrics, 1.25)
    assert "size-adjust: 125%;" in css and "ascent-override: 109.92%;" in css and "descent-override: 59.04%;" in css


def test_generated_font_files_match_the_subset_table():
    """fonts.css and the preload partial are written by `make fonts`; they must agree with SUBSETS."""
    from scripts.tools import fonts

    project = Project.load()
    css = (project.docs / "assets" / "stylesheets" / "fonts.css").read_text(encoding="utf-8")
    partial = (project.overrides / "partials" / fonts.PRELOAD_PARTIAL).read_text(encoding="utf-8")
    assert partial == fonts.preload_partial(fonts.SUBSETS)
    for item in fonts.SUBSETS:
        for part in ("core", "rest"):
            face = css.split(f'url("../fonts/{item.output}-{part}.woff2")')[0].rsplit("@font-face", 1)[1]
            assert f"font-display: {item.display};" in face and "ascent-override" in face
            assert (project.docs / "assets" / "fonts" / f"{item.output}-{part}.woff2").is_file()
        # the stack is used only on pages in the script's languages
        assert f":is({', '.join(f'html:lang({c})' for c in item.languages)})" in css
        assert f"--site-font-{item.css_name}: \"{item.family}\"" in css


# ---- search index split --------------------------------------------------------------------


def test_split_index_by_language(tmp_path):
    merged = {"config": {"lang": ["de", "en"], "separator": "x", "fields": {"title": {"boost": 1}}},
              "docs": [{"location": "index.html", "title": "Start", "text": ""},
                       {"location": "rechte.html#a", "title": "Rechte", "text": ""},
                       {"location": "en/index.html", "title": "Home", "text": ""},
                       {"location": "ti/index.html", "title": "ገጽ", "text": ""},
                       {"location": "tiny/x.html", "title": "not a language", "text": ""}]}
    out = searchindex.split_index(merged, ["de", "en", "ti"], "de")
    assert [d["location"] for d in out["de"]["docs"]] == ["index.html", "rechte.html#a", "tiny/x.html"]
    assert [d["location"] for d in out["en"]["docs"]] == ["index.html"]
    # every language gets its own lunr plugin (search normaliser + stemmer) and no trimmer
    assert out["ti"]["config"]["lang"] == ["sti"] and out["ti"]["config"]["pipeline"] == []
    assert "\\u1361-\\u1368" in out["ti"]["config"]["separator"]
    assert out["de"]["config"]["fields"] == {"title": {"boost": 1}}

    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.json").write_text(json.dumps(merged), encoding="utf-8")
    sizes = searchindex.write_indexes(tmp_path, ["de", "en", "ti"], "de")
    assert set(sizes) == {"de", "en", "ti"}
    js = (tmp_path / "ti" / "search" / "search_index.js").read_text(encoding="utf-8")
    assert js.startswith("var __index = ") and "ገጽ" in js


def test_base_for_404_only_with_site_url():
    html = '<head><meta charset="utf-8"><link href="assets/a.css"></head>'
    assert htmlpost.add_base(html, "") == html
    assert '<base href="/stadt/gewaltschutz/">' in htmlpost.add_base(html, "https://example.org/stadt/gewaltschutz")


# ---- YAML: the C parser is used only where it gives what the Python parser gives -------------------------

_YAML_SAMPLES = [
    "a: 1\nb: [1, 2]\n", "a:\tb\n", "a: b: c\n", "- [\n", "key: 'unterminated\n", "? complex\n: value\n",
    "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n", "d: 2026-13-45\nt: 19:00\nflag: yes\noct: 0o17\n",
    "x: !!python/object:os.system echo\n", "%TAG ! tag:example.org,2000:\n---\na: !x b\n", "{a: 1, a: 2}\n",
    "a:\n  - b\n -c\n", "a: 1\na: 2\n", "s: \"\\u202e\"\n", "e: \"\\x07\"\n", "[" * 50 + "]" * 50 + "\n",
    "t: !!bool maybe\n", "title:\n  de: Ihre Rechte\n  ar: حقوقكم\n", "---\na: 1\n...\n", "a: |\n  text\n b\n",
    "- - - - x\n", "a: *missing\n", "a: [1, 2\n", "k: v # comment\n", "'a': \"b\"\n", "a: b\u0085c\n",
]


def _yaml_result(text: str, loader) -> object:
    from scripts.core import yamlsrc
    from scripts.core.problems import InputError

    try:
        source = yamlsrc._parse(text, Path("x.yml"), 1, loader) if loader else yamlsrc.parse(text, Path("x.yml"))
    except InputError as exc:
        return [str(p) for p in exc.problems]
    return source.data, source.lines


@pytest.mark.parametrize("text", _YAML_SAMPLES)
def test_yaml_fast_parser_gives_what_the_python_parser_gives(text):
    import yaml

    assert _yaml_result(text, None) == _yaml_result(text, yaml.SafeLoader)


def test_yaml_fast_parser_on_every_data_file():
    import yaml

    for path in sorted(PROJECT.data.rglob("*.yml")):
        text = path.read_text(encoding="utf-8")
        assert _yaml_result(text, None) == _yaml_result(text, yaml.SafeLoader), path
