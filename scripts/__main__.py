"""One entry for every project command: `python -m scripts <command> [options]`.

Each command is a `main(argv) -> int` (exit 0 ok, 1 problems found, 2 usage error).
"""

from __future__ import annotations

import importlib
import sys

# command -> (module with main(argv), one-line purpose)
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("scripts.site.build", "check the content, build the whole site into site/, swap it in"),
    "status": ("scripts.translations.cli", "translation status; also: stamp, new, diff"),
    "content": ("scripts.checks.content", "check the Markdown files alone"),
    "helpdir": ("scripts.helpdir", "check the help directory data/help.yml alone"),
    "events": ("scripts.events", "check the event calendar: events validate [data/events.yml]"),
    "linkcheck": ("scripts.site.linkcheck", "check a built site: links, assets, no third-party hosts"),
    "pdf": ("scripts.printing.build", "make the PDFs of an already built site"),
    "fonts": ("scripts.tools.fonts", "rebuild the self-hosted font subsets"),
    "bench": ("scripts.tools.bench", "speed, size and page-weight figures"),
    "treediff": ("scripts.tools.treediff", "compare two built sites byte for byte"),
}


def usage() -> str:
    width = max(map(len, COMMANDS))
    lines = [f"  {name.ljust(width)}  {purpose}" for name, (_, purpose) in COMMANDS.items()]
    return "usage: python -m scripts <command> [options]\n\ncommands:\n" + "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(usage(), file=sys.stdout if args else sys.stderr)
        return 0 if args else 2
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        print(f"error: unknown command `{name}`\n{usage()}", file=sys.stderr)
        return 2
    module = importlib.import_module(COMMANDS[name][0])
    return int(module.main(rest) or 0)


if __name__ == "__main__":
    sys.exit(main())
