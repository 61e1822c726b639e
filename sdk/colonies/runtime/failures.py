"""Logging a reconcile that failed, so the operator sees what went wrong and where.

A status says *that* a generation failed; the log says *why*: the exception's type and
message on every failure, at WARNING, and its traceback once per blueprint and generation.
A failing device retried every few seconds would otherwise repeat the same traceback
forever; a new spec, which may fail elsewhere, gets its traceback again.
"""

from __future__ import annotations

import logging

log = logging.getLogger("colonies.runtime")


def describe(error: BaseException) -> str:
    """``ValueError: bad level``; the bare type name when the message is empty."""
    message = str(error)
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


class FailureLog:
    """Remembers, per blueprint, the generation whose traceback was last logged."""

    def __init__(self) -> None:
        self._traced: dict[str, int] = {}

    def reconcile_failed(self, name: str, generation: int, what: str, error: Exception) -> None:
        """Log ``error`` from the reconcile of ``name``; ``what`` says how it ended
        (``failed permanently``, ``giving up after 3 attempts``)."""
        first = self._traced.get(name) != generation
        if first:
            self._traced[name] = generation
        log.warning("%s: %s", what, describe(error), exc_info=error if first else None)

    def invalid_spec(self, message: str) -> None:
        """An invalid spec is the user's error, not the code's: no traceback, the fields."""
        log.warning("not reconciled: %s", message)

    def forget(self, name: str) -> None:
        """``name`` converged or is gone: its next failure gets a traceback again."""
        self._traced.pop(name, None)
