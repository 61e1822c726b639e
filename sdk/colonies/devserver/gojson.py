"""JSON decoding with the error texts and leniencies of Go's ``encoding/json``.

Why: the real server answers a malformed body with the Go parser's own message (protocol
1.4), and clients or tests may match on it. Python's ``json`` accepts a few things Go
rejects (``NaN``, ``Infinity``) and produces lone surrogates Go would replace with U+FFFD.
"""

from __future__ import annotations

import re
from typing import Any

from colonies import deepjson

__all__ = ["GoJSONError", "loads", "syntax_error"]

_WHITESPACE = b" \t\r\n"
_DIGITS = b"0123456789"
_HEX = b"0123456789abcdefABCDEF"
_ESCAPES = b'bfnrt\\/"'
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_EOF = "unexpected end of JSON input"


class GoJSONError(ValueError):
    """A syntax error, with Go's message as ``str(error)``."""


def _quote_char(c: int) -> str:
    """Go's ``quoteChar``: the byte as a Go rune literal."""
    if c == ord("'"):
        return "'\\''"
    if c == ord('"'):
        return "'\"'"
    char = chr(c)
    if char.isprintable():
        return f"'{char}'" if char != "\\" else "'\\\\'"
    named = {7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r"}
    if c in named:
        return f"'{named[c]}'"
    return f"'\\x{c:02x}'" if c < 0x80 else f"'\\u{c:04x}'"


class _Scanner:
    """A recursive-descent twin of Go's JSON scanner, only used to explain an error."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.i = 0

    def fail(self, context: str) -> GoJSONError:
        if self.i >= len(self.data):
            return GoJSONError(_EOF)
        return GoJSONError(f"invalid character {_quote_char(self.data[self.i])} {context}")

    def peek(self) -> int:
        if self.i >= len(self.data):
            raise GoJSONError(_EOF)
        return self.data[self.i]

    def skip_ws(self) -> int:
        while self.i < len(self.data) and self.data[self.i] in _WHITESPACE:
            self.i += 1
        return self.peek()

    def document(self) -> None:
        self.value()
        while self.i < len(self.data) and self.data[self.i] in _WHITESPACE:
            self.i += 1
        if self.i < len(self.data):
            raise self.fail("after top-level value")

    def value(self) -> None:
        c = self.skip_ws()
        if c == ord("{"):
            self.obj()
        elif c == ord("["):
            self.array()
        elif c == ord('"'):
            self.string()
        elif c == ord("-") or c in _DIGITS:
            self.number()
        elif c in b"tfn":
            self.literal({ord("t"): b"true", ord("f"): b"false", ord("n"): b"null"}[c])
        else:
            raise self.fail("looking for beginning of value")

    def obj(self) -> None:
        self.i += 1
        if self.skip_ws() == ord("}"):
            self.i += 1
            return
        while True:
            if self.skip_ws() != ord('"'):
                raise self.fail("looking for beginning of object key string")
            self.string()
            if self.skip_ws() != ord(":"):
                raise self.fail("after object key")
            self.i += 1
            self.value()
            c = self.skip_ws()
            self.i += 1
            if c == ord("}"):
                return
            if c != ord(","):
                self.i -= 1
                raise self.fail("after object key:value pair")

    def array(self) -> None:
        self.i += 1
        if self.skip_ws() == ord("]"):
            self.i += 1
            return
        while True:
            self.value()
            c = self.skip_ws()
            self.i += 1
            if c == ord("]"):
                return
            if c != ord(","):
                self.i -= 1
                raise self.fail("after array element")

    def string(self) -> None:
        self.i += 1
        while True:
            c = self.peek()
            if c == ord('"'):
                self.i += 1
                return
            if c < 0x20:
                raise self.fail("in string literal")
            self.i += 1
            if c == ord("\\"):
                e = self.peek()
                if e == ord("u"):
                    self.i += 1
                    for _ in range(4):
                        if self.peek() not in _HEX:
                            raise self.fail("in \\u hexadecimal character escape")
                        self.i += 1
                elif e in _ESCAPES:
                    self.i += 1
                else:
                    raise self.fail("in string escape code")

    def digits(self, context: str) -> None:
        if self.peek() not in _DIGITS:
            raise self.fail(context)
        while self.i < len(self.data) and self.data[self.i] in _DIGITS:
            self.i += 1

    def number(self) -> None:
        if self.data[self.i] == ord("-"):
            self.i += 1
        if self.peek() == ord("0"):
            self.i += 1
        else:
            self.digits("in numeric literal")
        if self.i < len(self.data) and self.data[self.i] == ord("."):
            self.i += 1
            self.digits("after decimal point in numeric literal")
        if self.i < len(self.data) and self.data[self.i] in b"eE":
            self.i += 1
            if self.peek() in b"+-":
                self.i += 1
            self.digits("in exponent of numeric literal")

    def literal(self, word: bytes) -> None:
        self.i += 1
        for expected in word[1:]:
            if self.peek() != expected:
                name = word.decode()
                raise self.fail(f"in literal {name} (expecting {_quote_char(expected)})")
            self.i += 1


def syntax_error(data: bytes) -> str | None:
    """Go's message for the first syntax error in ``data``, or ``None`` if it is valid."""
    try:
        _Scanner(data).document()
    except GoJSONError as error:
        return str(error)
    except RecursionError:
        return "exceeded max depth"
    return None


def _replace_surrogate(value: Any) -> Any:
    return _SURROGATE.sub("\ufffd", value) if isinstance(value, str) else value


def loads(data: bytes | str) -> Any:
    """Parse like Go: raises :class:`GoJSONError` carrying Go's message on a syntax error;
    invalid UTF-8 and lone surrogates become U+FFFD as in Go."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    text = raw.decode("utf-8", "replace")
    try:
        value = deepjson.loads(text)  # any depth Go accepts, without recursion
    except deepjson.DepthError as error:
        raise GoJSONError(str(error)) from None
    except ValueError:
        raise GoJSONError(syntax_error(raw) or _EOF) from None
    if _SURROGATE_ESCAPE.search(text):
        value = deepjson.map_scalars(value, _replace_surrogate)
    return value
