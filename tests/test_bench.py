"""`python -m scripts bench` runs to the end and prints its figures (a tiny --quick run, about a minute)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NUMBER = r"\d+\.\d+"


def test_bench_quick_prints_every_figure() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scripts", "bench", "--quick", "--handouts", "2", "--words", "50"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    out = result.stdout
    assert result.returncode == 0, f"bench failed (exit {result.returncode})\n{out}\n{result.stderr[-3000:]}"
    assert "Traceback" not in out + result.stderr
    assert "FAILED" not in out
    expected = [
        r"synthetic site: \d+ languages x 2 handouts x ~50 words",
        rf"full build, naive Material\+static-i18n\s*: +{NUMBER} s +peak +\d+ MB",
        rf"full build, synthetic\s*: +{NUMBER} s +peak +\d+ MB",
        rf"rebuild, nothing changed, synthetic\s*: +{NUMBER} s",
        rf"rebuild, 1 page edited, synthetic\s*: +{NUMBER} s .*ar/handout-01.md",
        rf"full build, synthetic, vs naive\s*: +{NUMBER} x",
        rf"full build, real site\s*: +{NUMBER} s",
        rf"rebuild, nothing changed, real site\s*: +{NUMBER} s",
        rf"rebuild, 1 page edited, real site\s*: +{NUMBER} s .*ar/rechte.md",
        rf"target: real site full vs hugo\s*: +({NUMBER} x|skipped: no hugo figure)",
        rf"target: synthetic full vs hugo\s*: +({NUMBER} x|skipped: no hugo figure)",
        rf"first view ar handout \(gzip\)\s*: +{NUMBER} KB +"
        rf"\(html {NUMBER}, css {NUMBER}, js {NUMBER}, fonts {NUMBER}\)",
        rf"search index, naive \(all languages\)\s*: +{NUMBER} KB raw",
        rf"PDFs, synthetic ar, cold cache\s*: +{NUMBER} s for [1-9]\d* files",
        rf"PDFs, nothing changed \(cache\)\s*: +{NUMBER} s, 0 rendered",
        rf"PDFs, 1 handout edited \(ar/handout-01\)\s*: +{NUMBER} s, [1-9]\d* rendered",
        r"Lighthouse\s*: skipped: \S",
    ]
    missing = [pattern for pattern in expected if not re.search(pattern, out)]
    assert not missing, f"figures missing from the bench output: {missing}\n{out}"
    # one search-index line per configured language, each with its entry count
    for code in ("de", "ar", "ti"):
        assert re.search(rf"search index {code}\s*: +{NUMBER} KB raw, +{NUMBER} KB gzip, [1-9]\d* entries", out), out


def test_bench_rejects_bad_sizes() -> None:
    result = subprocess.run([sys.executable, "-m", "scripts", "bench", "--handouts", "0"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "--handouts" in result.stderr
