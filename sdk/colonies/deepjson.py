"""JSON for values nested as deep as a ColonyOS server accepts, without recursion.

Why: Go's decoder accepts 10,000 levels of nesting (the 10,001st is "exceeded max depth"),
so a server may hold, and send, values that :mod:`json` and :func:`copy.deepcopy` cannot
handle: they recurse, and Python's recursion limit (about 1,000 frames) ends them with a
``RecursionError``. :func:`loads` and :func:`dumps` take the fast standard path and only
fall back to an explicit stack when a value is too deep for it; :func:`clone` and
:func:`map_scalars` always walk with one (a clone that way is no slower than ``deepcopy``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import Any, TypeVar, cast

T = TypeVar("T")
_scanstring = cast(
    "Callable[[str, int, bool], tuple[str, int]]",
    json.decoder.scanstring,  # type: ignore[attr-defined]
)

__all__ = ["MAX_DEPTH", "DepthError", "clone", "dumps", "loads", "map_scalars"]

MAX_DEPTH = 10_000
"""The deepest nesting Go's ``encoding/json`` accepts (objects and arrays count alike)."""

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_LITERALS: dict[str, Any] = {"true": True, "false": False, "null": None}


class DepthError(ValueError):
    """The text nests deeper than :data:`MAX_DEPTH`; ``str()`` is Go's message."""

    def __init__(self) -> None:
        super().__init__("exceeded max depth")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def loads(text: str | bytes | bytearray, *, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` for any depth up to ``max_depth`` (:class:`DepthError` beyond it).
    ``NaN`` and ``Infinity`` are refused, as Go refuses them."""
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        source = text.decode("utf-8") if isinstance(text, bytes | bytearray) else text
        return _loads_iteratively(source, max_depth)


def _scalar(text: str, i: int) -> tuple[Any, int]:
    """The string, number or literal at ``text[i]`` and the index after it."""
    if text.startswith('"', i):
        return _scanstring(text, i + 1, True)
    number = _NUMBER.match(text, i)
    if number is not None and number.end() > i:
        digits = number.group()
        is_float = number.group(1) is not None or number.group(2) is not None
        return (float(digits) if is_float else int(digits)), number.end()
    for word, value in _LITERALS.items():
        if text.startswith(word, i):
            return value, i + len(word)
    raise ValueError(f"Expecting value: char {i}")


def _key(text: str, i: int) -> tuple[str, int]:
    """An object key and its colon at ``text[i]``; the index of the value after them."""
    if not text.startswith('"', i):
        raise ValueError(f"Expecting property name enclosed in double quotes: char {i}")
    key, i = _scanstring(text, i + 1, True)
    i = _WHITESPACE.match(text, i).end()  # type: ignore[union-attr]
    if not text.startswith(":", i):
        raise ValueError(f"Expecting ':' delimiter: char {i}")
    return key, _WHITESPACE.match(text, i + 1).end()  # type: ignore[union-attr]


def _loads_iteratively(text: str, max_depth: int) -> Any:
    """A parser with an explicit stack of open containers (and their pending keys)."""

    def skip(at: int) -> int:
        return _WHITESPACE.match(text, at).end()  # type: ignore[union-attr]

    open_: list[tuple[list[Any] | dict[str, Any], str]] = []
    i = skip(0)
    while True:
        opener = text[i : i + 1]
        if opener in ("[", "{"):
            if len(open_) >= max_depth:
                raise DepthError
            closer = "]" if opener == "[" else "}"
            i = skip(i + 1)
            if not text.startswith(closer, i):
                if opener == "[":
                    open_.append(([], ""))
                else:
                    key, i = _key(text, i)
                    open_.append(({}, key))
                continue
            value: Any = [] if opener == "[" else {}
            i += 1
        else:
            value, i = _scalar(text, i)
        while True:  # attach the value; close every container that ends here
            if not open_:
                if skip(i) != len(text):
                    raise ValueError(f"Extra data: char {i}")
                return value
            container, key = open_[-1]
            if isinstance(container, list):
                container.append(value)
            else:
                container[key] = value
            i = skip(i)
            if text.startswith(",", i):
                i = skip(i + 1)
                if isinstance(container, dict):
                    key, i = _key(text, i)
                    open_[-1] = (container, key)
                break
            if not text.startswith("]" if isinstance(container, list) else "}", i):
                raise ValueError(f"Expecting ',' delimiter: char {i}")
            value, i = open_.pop()[0], i + 1


def dumps(
    value: Any,
    *,
    ensure_ascii: bool = False,
    separators: tuple[str, str] = (",", ":"),
    sort_keys: bool = False,
) -> str:
    """``json.dumps`` (compact by default) for any depth."""
    try:
        return json.dumps(
            value, ensure_ascii=ensure_ascii, separators=separators, sort_keys=sort_keys
        )
    except RecursionError:
        return _dumps_iteratively(value, ensure_ascii, separators, sort_keys)


class _Raw(str):
    """Text to emit as it is (punctuation), on the encoder's work stack."""


def _dumps_iteratively(
    value: Any, ensure_ascii: bool, separators: tuple[str, str], sort_keys: bool
) -> str:
    item_separator, key_separator = separators
    quote = encode_basestring_ascii if ensure_ascii else encode_basestring
    parts: list[str] = []
    work: list[Any] = [value]
    while work:
        item = work.pop()
        if isinstance(item, _Raw):
            parts.append(item)
        elif isinstance(item, dict):
            keys = sorted(item) if sort_keys else list(item)
            pending: list[Any] = [_Raw("{")]
            for n, key in enumerate(keys):
                text = key if isinstance(key, str) else json.dumps(key).strip('"')
                prefix = item_separator if n else ""
                pending += [_Raw(prefix + quote(text) + key_separator), item[key]]
            work += reversed([*pending, _Raw("}")])
        elif isinstance(item, list | tuple):
            pending = [_Raw("[")]
            for n, element in enumerate(item):
                pending += [_Raw(item_separator)] if n else []
                pending.append(element)
            work += reversed([*pending, _Raw("]")])
        else:
            parts.append(json.dumps(item, ensure_ascii=ensure_ascii))
    return "".join(parts)


def clone(value: T) -> T:
    """A deep copy of a JSON value (dicts, lists and scalars), for any depth."""
    return cast(T, map_scalars(value, lambda scalar: scalar))


def map_scalars(value: Any, change: Callable[[Any], Any], *, sort_keys: bool = False) -> Any:
    """A deep copy of a JSON value, for any depth, with ``change`` applied to every scalar
    and object key (and keys sorted if asked)."""

    def fresh(item: Any) -> Any:
        if isinstance(item, dict):
            copy: dict[Any, Any] = {}
            work.append((item, copy))
            return copy
        if isinstance(item, list):
            copy_list: list[Any] = []
            work.append((item, copy_list))
            return copy_list
        return change(item)

    work: list[tuple[Any, Any]] = []
    root = fresh(value)
    while work:
        source, target = work.pop()
        if isinstance(source, dict):
            for key in sorted(source) if sort_keys else source:
                target[change(key)] = fresh(source[key])
        else:
            target.extend(fresh(item) for item in source)
    return root
