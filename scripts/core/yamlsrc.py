"""One YAML loader for every data file and front matter: plain data plus the line of every key and item.

Errors (missing file, not UTF-8, invalid YAML, a key given twice) become `Problem`s naming the file and
line, raised as one `InputError`, never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scripts.core.problems import InputError, Problem

Key = tuple[str | int, ...]
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
YAML_FIX = "check the indentation (spaces, no tabs); put texts containing `: ` or `#` in double quotes"


class _PlainTimesLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates and times as text (parsed by a schema, with readable errors)."""


# no timestamps; `19:00` stays the text "19:00" (YAML 1.1 would read it as the base-60 number 1140)
_PlainTimesLoader.yaml_implicit_resolvers = {
    key: ([("tag:yaml.org,2002:str", _TIME)] if key in "0123456789" else [])
    + [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# libyaml (C) reads valid files about ten times faster than PyYAML's Python parser. It is used only where it
# cannot behave differently: text without tabs or characters YAML forbids (the Python reader names them),
# nesting far below C's stack depth; and any error is reported by the Python parser, with its messages and
# lines. tests/test_units.py compares both parsers on every data file and on hostile samples.
_CLoader = getattr(yaml, "CSafeLoader", None)
_CPlainTimesLoader = None
if _CLoader is not None:
    class _CPlainTimesLoader(_CLoader):  # type: ignore[no-redef,valid-type,misc]
        """The C twin of _PlainTimesLoader."""

    _CPlainTimesLoader.yaml_implicit_resolvers = _PlainTimesLoader.yaml_implicit_resolvers
_MAX_C_NESTING = 1000


def _fast_loader(text: str, plain_times: bool) -> type | None:
    # tabs: libyaml accepts some (`key:<tab>value`) that PyYAML refuses, and the editors' rule is "no tabs"
    if _CLoader is None or "\t" in text or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return None
    if text.count("[") + text.count("{") > _MAX_C_NESTING or any(len(line) > _MAX_C_NESTING
                                                                   for line in text.splitlines()):
        return None
    return _CPlainTimesLoader if plain_times else _CLoader


@dataclass
class YamlSource:
    """Parsed YAML with the 1-based line of every data path (`("events", 0, "title")`)."""

    path: Path
    data: Any
    lines: dict[Key, int] = field(default_factory=dict)

    def line(self, *at: str | int) -> int:
        """Line of the deepest known part of a data path (1 when nothing is known)."""
        for cut in range(len(at), -1, -1):
            if at[:cut] in self.lines:
                return self.lines[at[:cut]]
        return 1


def scalars(value: Any, at: Key = ()) -> Iterator[tuple[Key, Any]]:
    """Every scalar (text, number, date, ...) in parsed YAML data, with its data path (for `YamlSource.line`)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from scalars(item, (*at, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from scalars(item, (*at, index))
    else:
        yield at, value


def read_text(path: Path, what: str = "file") -> str:
    """A text file as UTF-8 without BOM; InputError naming the line of the first bad byte."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(str(path), 1, f"{what} not found", "create it, or restore it from git")]) from None
    except OSError as exc:
        raise InputError([Problem(str(path), 1, f"cannot read the {what}: {exc.strerror}",
                                  "check that it is a file you may read")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError([Problem(str(path), line, f"file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
                                  "open it in your editor and save it with the encoding UTF-8")]) from None
    return text.removeprefix("\ufeff")


def yaml_problem(exc: yaml.YAMLError, path: Path | str, first_line: int = 1, fix: str = YAML_FIX) -> Problem:
    """A YAML syntax error as a Problem at the right line of the file."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = first_line + (mark.line if mark else 0)
    detail = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return Problem(str(path), line, f"invalid YAML: {detail}", fix)


def parse(text: str, path: Path, *, first_line: int = 1, plain_times: bool = False) -> YamlSource:
    """Parse YAML text that starts at `first_line` of `path`; InputError on bad YAML or a repeated key."""
    fast = _fast_loader(text, plain_times)
    if fast is not None:
        try:
            return _parse(text, path, first_line, fast)
        except (InputError, yaml.YAMLError, RecursionError):
            pass  # the Python parser reports it, with its own messages and lines
    return _parse(text, path, first_line, _PlainTimesLoader if plain_times else yaml.SafeLoader)


def _parse(text: str, path: Path, first_line: int, loader_class: type) -> YamlSource:
    try:
        loader = loader_class(text)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (control characters)
        line = first_line + text[: exc.position].count("\n")
        raise InputError([Problem(str(path), line, f"character U+{exc.character:04X} is not allowed in YAML"
                                  if isinstance(exc.character, int) else f"invalid YAML: {exc.reason}",
                                  "delete the invisible character (retype the line)")]) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlSource(path, None, {(): first_line})
        lines: dict[Key, int] = {}
        problems: list[Problem] = []

        def build(node: yaml.Node, at: Key) -> Any:
            lines.setdefault(at, first_line + node.start_mark.line)
            if isinstance(node, yaml.MappingNode):
                result: dict[Any, Any] = {}
                own = sum(1 for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge")
                loader.flatten_mapping(node)  # YAML merge keys (<<) come first; own keys may override them
                merged = len(node.value) - own
                seen: set[Any] = set()
                for position, (key_node, value_node) in enumerate(node.value):
                    key = construct(key_node)
                    key = key if isinstance(key, (str, int, float, bool)) or key is None else str(key)
                    key_line = first_line + key_node.start_mark.line
                    if key in seen and position >= merged:
                        problems.append(Problem(str(path), key_line, f"`{key}` is given twice",
                                                "keep only one of them"))
                    if position >= merged:
                        seen.add(key)
                    lines[(*at, key)] = key_line
                    result[key] = build(value_node, (*at, key))
                return result
            if isinstance(node, yaml.SequenceNode):
                return [build(item, (*at, index)) for index, item in enumerate(node.value)]
            return construct(node)

        def construct(node: yaml.Node) -> Any:
            try:
                return loader.construct_object(node, deep=True)
            except ValueError:  # e.g. 2026-13-45 looks like a date to YAML but is none
                return str(node.value)
            except (KeyError, AttributeError, TypeError, yaml.constructor.ConstructorError):
                # an explicit tag that does not fit its value (`!!bool maybe`, `!!timestamp soon`)
                problems.append(Problem(str(path), first_line + node.start_mark.line,
                                        f"cannot read {str(node.value)[:40]!r} as {node.tag.rsplit(':', 1)[-1]}",
                                        "remove the `!!` tag and write the value plainly"))
                return None

        data = build(node, ())
    except yaml.YAMLError as exc:
        raise InputError([yaml_problem(exc, path, first_line)]) from None
    except RecursionError:
        raise InputError([Problem(str(path), first_line, "YAML is nested too deeply",
                                  "write the data flat, as in the example at the top of the file")]) from None
    finally:
        loader.dispose()
    if problems:
        raise InputError(problems)
    return YamlSource(path, data, lines)


# Data files are a few KB (the calendar of ~20 events a year, the directory, UI strings). Far bigger files
# are paste errors and would take minutes to validate and render in ten languages.
MAX_DATA_BYTES = 1_000_000


def load(path: Path, *, what: str = "file", plain_times: bool = False, max_bytes: int = MAX_DATA_BYTES) -> YamlSource:
    """Read and parse one YAML file (see `parse`); InputError when it is larger than `max_bytes`."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    if size > max_bytes:
        raise InputError([Problem(str(path), 1, f"the {what} is {size / 1_000_000:.1f} MB; it should be a few KB "
                                  f"(limit {max_bytes // 1000} KB)",
                                  "remove pasted or generated data; keep past events only as long as needed")])
    return parse(read_text(path, what), path, plain_times=plain_times)
