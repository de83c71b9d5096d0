"""The Kiwix illustration: favicon-48.png, a 48x48 PNG of docs/assets/favicon.svg.

No library of the build renders SVG, so the PNG is drawn once with the test browser and kept next to this
file; the build warns when favicon.svg has changed since. Redraw it (needs the test dependencies and the
Debian chromium): `python -m scripts.offline.illustration`.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import sys
from pathlib import Path

from scripts.core.project import Project

PNG = Path(__file__).with_name("favicon-48.png")
SOURCE = "assets/favicon.svg"
# sha256 of the favicon.svg the PNG was drawn from
SOURCE_SHA256 = "a62a412576d509ff1b78f9ada4922544302f727ec0eac0622c0ddd69ae87b9ae"


def stale(project: Project) -> str | None:
    """A warning when the PNG no longer shows the site's favicon, else None."""
    svg = project.docs / SOURCE
    if svg.exists() and hashlib.sha256(svg.read_bytes()).hexdigest() != SOURCE_SHA256:
        return (f"docs/{SOURCE} has changed: the Kiwix illustration still shows the old icon\n"
                f"    fix: run `python -m scripts.offline.illustration` and set SOURCE_SHA256 in "
                f"scripts/offline/illustration.py to the printed value")
    return None


def draw(svg: bytes) -> bytes:
    from playwright.sync_api import sync_playwright

    uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                     args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 48, "height": 48}, device_scale_factor=1)
        page.set_content(f'<body style="margin:0"><img src="{uri}" width="48" height="48" style="display:block">')
        page.wait_for_timeout(200)
        png = page.screenshot(omit_background=True, clip={"x": 0, "y": 0, "width": 48, "height": 48})
        browser.close()
    return png


def main(argv: list[str] | None = None) -> int:
    project = Project.load()
    svg = (project.docs / SOURCE).read_bytes()
    PNG.write_bytes(draw(svg))
    print(f"wrote {PNG}; SOURCE_SHA256 = \"{hashlib.sha256(svg).hexdigest()}\"")
    return 0


if __name__ == "__main__":
    sys.exit(main())
