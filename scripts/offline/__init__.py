"""Offline copies of the built site, in site/download/ (made by every build, after the PDFs):

  leben-ohne-gewalt-all.zip   every language (all pages, search indexes, PDFs)
  leben-ohne-gewalt-<xx>.zip  one language: its pages, search index and PDFs, the German pages, assets
  leben-ohne-gewalt.zim       the whole site for the Kiwix apps, with a full-text index (SKIP_ZIM=1: none)
  SHA256SUMS, MANIFEST.txt    checksums and version, for `sha256sum -c` and for people

Each ZIP opens from the index.html of its one folder, also from a USB stick (file://), search included, and
carries VERSION.txt (date from SOURCE_DATE_EPOCH or the latest commit, plus a digest of the site). The print
page of every language links the downloads with their sizes (`render_section`). Capability package: imports
only scripts/core. Details: copies.py (what each ZIP holds), zim.py (the Kiwix file), stamp.py (the version).
"""

from scripts.offline.build import OfflineReport, build_downloads, build_step
from scripts.offline.pages import render_section, skip_zim

__all__ = ["OfflineReport", "build_downloads", "build_step", "render_section", "skip_zim"]
