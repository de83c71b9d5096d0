"""Compare two folders byte for byte (e.g. a built site before and after a refactor).

`python -m scripts treediff A B [--show N]`; exit 0 identical, 1 different, 2 usage error.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path


def files(folder: Path) -> dict[str, Path]:
    """Every file below folder by its relative path."""
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}


def compare(a: Path, b: Path) -> tuple[list[str], list[str], list[str]]:
    """(only in a, only in b, different content), each sorted."""
    left, right = files(a), files(b)
    changed = [rel for rel in sorted(left.keys() & right.keys())
               if left[rel].read_bytes() != right[rel].read_bytes()]
    return sorted(left.keys() - right.keys()), sorted(right.keys() - left.keys()), changed


def _text_diff(a: Path, b: Path, limit: int) -> list[str]:
    try:
        old, new = a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return ["    (binary files differ)"]
    lines = list(difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0))[2:]
    return ["    " + line[:200] for line in lines[:limit]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts treediff", description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    parser.add_argument("--show", type=int, default=6, help="diff lines shown per changed text file")
    args = parser.parse_args(argv)
    for folder in (args.a, args.b):
        if not folder.is_dir():
            print(f"error: {folder} is not a folder", file=sys.stderr)
            return 2
    only_a, only_b, changed = compare(args.a, args.b)
    for rel in only_a:
        print(f"only in {args.a}: {rel}")
    for rel in only_b:
        print(f"only in {args.b}: {rel}")
    for rel in changed:
        print(f"differs: {rel}")
        if args.show:
            print("\n".join(_text_diff(args.a / rel, args.b / rel, args.show)))
    total = len(files(args.a))
    print(f"{total} files in {args.a}; {len(only_a)} only there, {len(only_b)} only in {args.b}, "
          f"{len(changed)} differ", file=sys.stderr)
    return 1 if only_a or only_b or changed else 0


if __name__ == "__main__":
    sys.exit(main())
