#!/usr/bin/env python3
"""The Content-Security-Policy HTTP header for a built site, identical to each page's <meta> CSP.

Every page carries its CSP as <meta http-equiv="Content-Security-Policy">. The policies differ only by
the sha256 hashes of the theme's inline scripts, and those depend on where a page sits (Material's
`__md_scope` script names the page's language root, e.g. "../ar/"): all pages of one folder share one
policy, 404.html has its own. This script reads the built pages and writes the rules a web server
needs to send each page's own policy as a header:

    python3 deploy/csp-header.py nginx  site > /etc/nginx/conf.d/gewaltschutz-csp.conf   # http { } context
    python3 deploy/csp-header.py apache site > site/.htaccess    # deploy/apache/htaccess, CSP filled in
    python3 deploy/csp-header.py caddy  site > /etc/caddy/gewaltschutz-csp.caddy         # `import`ed
    python3 deploy/csp-header.py value  site     # the one policy, only if every page has the same one
    python3 deploy/csp-header.py list   site     # which URLs get which policy

Run it after every build (the hashes change when the theme or its settings change). --prefix is the
sub-path the site is served under (default /gewaltschutz/); it must match the path of SITE_URL the site
was built with (checked against 404.html's <base href>). Exit 0 ok, 1 problems, 2 usage error.
No imports from the project: runs with any Python 3.9+ on the web server.
"""

from __future__ import annotations

import argparse
import collections
import html
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
APACHE_TEMPLATE = HERE / "apache" / "htaccess"
BEGIN, END = "# BEGIN generated CSP", "# END generated CSP"
_META = re.compile(r"<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\"\s*/?>", re.I)
_BASE = re.compile(r"<base href=\"([^\"]*)\"", re.I)


class Problem(Exception):
    pass


def page_policies(site: Path) -> dict[str, str]:
    """{"ar/rechte.html": policy} for every page of the built site (hidden folders left out)."""
    policies = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        found = _META.findall(path.read_text(encoding="utf-8"))
        if len(found) != 1:
            raise Problem(f"{path}: {len(found)} Content-Security-Policy <meta> tags, expected exactly 1 "
                          f"(was the site built with `make build`, not `mkdocs serve`?)")
        policies[rel] = html.unescape(found[0])
    if not policies:
        raise Problem(f"{site}: no HTML pages (build the site first: make build)")
    return policies


def rules(policies: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """(folder rules, page rules): each folder's most common policy ("" = site root, "ar/"), and the
    pages whose policy differs from their folder's (404.html)."""
    by_folder: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for rel, policy in policies.items():
        by_folder[rel.rpartition("/")[0] + "/" if "/" in rel else ""][policy] += 1
    folders = {folder: sorted(count.items(), key=lambda item: (-item[1], item[0]))[0][0]
               for folder, count in sorted(by_folder.items())}
    pages = {rel: policy for rel, policy in policies.items()
             if policy != folders[rel.rpartition("/")[0] + "/" if "/" in rel else ""]}
    return folders, pages


def check_prefix(site: Path, prefix: str) -> None:
    """404.html works at any depth only through its <base href>, the path of SITE_URL: it must be the prefix."""
    page = site / "404.html"
    if not page.exists():
        raise Problem(f"{page}: missing (the servers' 404 rule points to it)")
    base = _BASE.search(page.read_text(encoding="utf-8"))
    if base and base.group(1) != prefix:
        raise Problem(f"{page}: built for {base.group(1)}, served under {prefix}: build with "
                      f"SITE_URL=https://<host>{prefix} or pass --prefix {base.group(1)}")
    if not base:
        print(f"warning: {page} has no <base href> (built without SITE_URL): its styles and links work only "
              f"for missing pages directly under {prefix}", file=sys.stderr)


def _folder_regex(prefix: str, folder: str) -> str:
    """A path that is the folder itself ("ar/", served as ar/index.html) or a page directly in it."""
    return "^" + re.escape(prefix + folder).replace("\\/", "/") + r"(?:[^/]*\.html)?$"


def _page_paths(prefix: str, rel: str) -> list[str]:
    paths = [prefix + rel]
    if rel == "index.html" or rel.endswith("/index.html"):
        paths.insert(0, prefix + rel[: -len("index.html")])
    return paths


def _quoted(policy: str) -> str:
    if '"' in policy or "\\" in policy or "\n" in policy:
        raise Problem(f"policy cannot be written as a quoted header value: {policy}")
    return f'"{policy}"'


def render_nginx(folders: dict[str, str], pages: dict[str, str], prefix: str, source: str) -> str:
    lines = [f"# Generated by deploy/csp-header.py from {source}: regenerate after every build.",
             "# http { } context (Debian: /etc/nginx/conf.d/); deploy/nginx/gewaltschutz.conf sends it.",
             "map $uri $gewaltschutz_csp {",
             '    default "";']
    for rel, policy in pages.items():                       # exact paths win over the regexes
        lines += [f"    {path} {_quoted(policy)};" for path in _page_paths(prefix, rel)]
    for folder, policy in folders.items():
        lines.append(f'    "~{_folder_regex(prefix, folder)}" {_quoted(policy)};')
    return "\n".join(lines + ["}", ""])


def render_apache(folders: dict[str, str], pages: dict[str, str], prefix: str, source: str) -> str:
    lines = [BEGIN + f" by deploy/csp-header.py from {source}: regenerate after every build"]
    for folder, policy in folders.items():
        lines += [f'<If "%{{REQUEST_URI}} =~ m#{_folder_regex(prefix, folder)}#">',
                  f"    Header always set Content-Security-Policy {_quoted(policy)}", "</If>"]
    for rel, policy in pages.items():                       # later <If> blocks win
        alternatives = "|".join(re.escape(path).replace("\\/", "/") for path in _page_paths(prefix, rel))
        lines += [f'<If "%{{REQUEST_URI}} =~ m#^(?:{alternatives})$#">',
                  f"    Header always set Content-Security-Policy {_quoted(policy)}", "</If>"]
    block = "\n".join(lines + [END])
    template = APACHE_TEMPLATE.read_text(encoding="utf-8")
    start, end = template.find(BEGIN), template.find(END)
    if start < 0 or end < start:
        raise Problem(f"{APACHE_TEMPLATE}: the lines '{BEGIN}' and '{END}' are missing")
    return template[:start] + block + template[end + len(END):]


def render_caddy(folders: dict[str, str], pages: dict[str, str], prefix: str, source: str) -> str:
    lines = [f"# Generated by deploy/csp-header.py from {source}: regenerate after every build.",
             "# `import`ed by deploy/caddy/Caddyfile inside the site's handle block and its handle_errors."]
    for number, (folder, policy) in enumerate(folders.items()):
        lines += [f"@gewaltschutz_csp_{number} {{",
                  f"    path_regexp {_folder_regex(prefix, folder)}",
                  *[f"    not path {path}" for rel in pages for path in _page_paths(prefix, rel)],
                  "}",
                  f"header @gewaltschutz_csp_{number} Content-Security-Policy {_quoted(policy)}"]
    for number, (rel, policy) in enumerate(pages.items()):
        lines += [f"@gewaltschutz_csp_page_{number} path {' '.join(_page_paths(prefix, rel))}",
                  f"header @gewaltschutz_csp_page_{number} Content-Security-Policy {_quoted(policy)}"]
    return "\n".join(lines + [""])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("format", choices=["nginx", "apache", "caddy", "value", "list"])
    parser.add_argument("site", nargs="?", default="site", type=Path, help="the built site (default: site)")
    parser.add_argument("--prefix", default="/gewaltschutz/", help="sub-path the site is served under")
    args = parser.parse_args(argv)
    prefix = "/" + args.prefix.strip("/") + "/" if args.prefix.strip("/") else "/"
    try:
        policies = page_policies(args.site)
        folders, pages = rules(policies)
        if args.format == "value":
            distinct = sorted(set(policies.values()))
            if len(distinct) > 1:
                raise Problem(f"{args.site}: the pages have {len(distinct)} different policies (the theme's "
                              f"inline scripts differ by folder): use the nginx, apache or caddy output, "
                              f"which send each page its own; `list` shows which")
            print(distinct[0])
            return 0
        check_prefix(args.site, prefix)
        if args.format == "list":
            for folder, policy in folders.items():
                print(f"{_folder_regex(prefix, folder)}\t{policy}")
            for rel, policy in pages.items():
                print(f"{' '.join(_page_paths(prefix, rel))}\t{policy}")
            return 0
        render = {"nginx": render_nginx, "apache": render_apache, "caddy": render_caddy}[args.format]
        sys.stdout.write(render(folders, pages, prefix, args.site.as_posix()))
        return 0
    except (Problem, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
