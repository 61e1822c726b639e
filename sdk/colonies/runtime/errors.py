"""Errors a reconciler raises to steer the runtime, and the runtime's own start-up errors.

The split mirrors Kopf (temporary vs permanent) and controller-runtime (terminal errors):
a reconciler says whether trying again can help; the runtime decides when and how often.
"""

from __future__ import annotations

from colonies.config import ConfigError


class ReconcileError(Exception):
    """Base of the errors a reconciler raises on purpose."""


class TemporaryError(ReconcileError):
    """Trying again may help (device busy, network blip): retried with backoff.

    ``delay`` asks for a specific wait before the next attempt instead of the policy's backoff.
    """

    def __init__(self, message: str, delay: float | None = None) -> None:
        super().__init__(message)
        self.delay = delay


class PermanentError(ReconcileError):
    """Trying again cannot help until the spec changes: not retried; the blueprint is marked Failed."""


class ConfigurationError(ConfigError):
    """The runtime cannot start as configured (bad target, missing setting, mismatched definition).

    A :class:`~colonies.config.ConfigError` like a bad variable: one hierarchy, so a command
    catches both with one clause and ends with the configuration-error exit code."""
