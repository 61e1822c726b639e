"""Structured logs: every line carries the kind, blueprint, generation and process it is about.

The fields live in a context variable set around each piece of work, so reconciler code that
logs through the standard ``logging`` module gets them too. Two formats: ``console`` (one
readable line, ``key=value`` at the end) and ``json`` (one object per line).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from colonies.runtime.settings import LogSettings

_fields: ContextVar[dict[str, Any] | None] = ContextVar("colonies_runtime_log_fields", default=None)
_HANDLER_NAME = "colonies-runtime"


@contextmanager
def log_context(**fields: Any) -> Iterator[None]:
    """Add fields (``kind=``, ``blueprint=``, ``generation=``, ``process_id=``) to every log
    record emitted inside the block, in this task and the threads it starts."""
    token = _fields.set(
        {**(_fields.get() or {}), **{k: v for k, v in fields.items() if v is not None}}
    )
    try:
        yield
    finally:
        _fields.reset(token)


def current_fields() -> dict[str, Any]:
    return dict(_fields.get() or {})


class _ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.context = {**(_fields.get() or {}), **getattr(record, "context", {})}
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, context fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "context", {}),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class ConsoleFormatter(logging.Formatter):
    """``time level logger: message key=value ...`` for people at a terminal."""

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created, UTC).strftime("%H:%M:%S")
        context = " ".join(f"{k}={v}" for k, v in getattr(record, "context", {}).items())
        line = f"{moment} {record.levelname:<7} {record.name}: {record.getMessage()}"
        if context:
            line = f"{line}  {context}"
        if record.exc_info:
            line = f"{line}\n{self.formatException(record.exc_info)}"
        return line


def configure_logging(settings: LogSettings) -> None:
    """Send logs to stderr in the configured format (replacing an earlier runtime handler)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.addFilter(_ContextFilter())
    handler.setFormatter(JsonFormatter() if settings.format == "json" else ConsoleFormatter())
    root.addHandler(handler)
    root.setLevel(settings.level)
    for library in ("httpx", "httpcore"):  # ten DEBUG lines per RPC would drown ours
        logging.getLogger(library).setLevel(max(logging.WARNING, root.level))
