"""Whether a status write needs the generation re-check: who else may write this kind's statuses.

The protocol has no compare-and-swap, so the engine reads a blueprint again before writing
its status, lest an older result replace a newer one. Within one runtime the per-blueprint
serialiser already rules that race out; only another executor of the same type (a replica)
can write a newer result in the middle of a reconcile. So a runtime that knows it is the
only one skips the re-read: four RPCs per reconcile, as a hand-written loop sends.

What it knows comes from the membership reads of ``sharding.py`` (``getexecutorsmsg`` every
``shard_refresh`` seconds, the period ``P``). The rules, with a slack ``S``:

* A replica is the *sole writer* for a blueprint it read at time r while its last read,
  sent at most ``P + S`` ago, listed no other live executor of its type and location and
  listed this one as heard from (the server marks an executor heard when it calls assign,
  before it waits), and every read since one sent at or before r said the same.
* A replica that finds others when it first appears holds its status writes until ``P + S``
  after that read returned (a *joining* replica). A replica that first appears alone writes
  at once.

Why this is enough: say replica A skips the re-read at time t while replica B's newer
result landed earlier. A's read (sent within ``P + S`` before t) did not list B, so the
server served it before B was first heard, and so before B's own first read, which lists B
as heard; A was therefore listed by B's read, B was joining, and B wrote nothing until
``P + S`` after that read returned, which is after t. If instead A appeared after B's first
read, A's own reads list B. Either way no result of B's can be overwritten by A. And a B
that wrote after r and then died is still listed for ``STALE_AFTER`` (three minutes; a live
runtime is heard at least every heartbeat), so the reads since r would have listed it.

Costs and caveats: a replica joining others (a scale-up, a rolling upgrade) starts writing
statuses about ``P`` seconds late; its device work is not delayed. A failed or slow
membership read makes the replica re-read again. Replicas of one kind must all run this
rule: an older runtime that never holds its writes is not covered.
"""

from __future__ import annotations

import asyncio
import time

SLACK = 1.0
"""Seconds added to the membership period in both rules: the time a membership read may
take, with margin."""


class WriterGuard:
    """One runtime's answer to "may I skip the re-read?" and "may I write yet?"."""

    def __init__(self, period: float) -> None:
        self.period = period
        self._alone_since: float | None = None
        self._alone_read_at: float | None = None
        self._joined = asyncio.Event()
        self._joining: asyncio.TimerHandle | None = None

    def membership_read(self, *, sent: float, heard: bool, alone: bool) -> None:
        """Record a membership read sent at ``sent`` (monotonic seconds): whether it listed
        this replica as heard from, and no other live one."""
        if heard and alone:
            self._alone_since = sent if self._alone_since is None else self._alone_since
            self._alone_read_at = sent
        else:
            self._alone_since = self._alone_read_at = None
        if not heard or self._joined.is_set() or self._joining is not None:
            return
        if alone:
            self._joined.set()
        else:
            delay = self.period + SLACK
            self._joining = asyncio.get_running_loop().call_later(delay, self._joined.set)

    @property
    def heard(self) -> bool:
        """Whether a membership read has listed this replica yet (joining or joined)."""
        return self._joined.is_set() or self._joining is not None

    @property
    def joined(self) -> bool:
        """Whether this replica writes statuses (see :meth:`wait_joined`)."""
        return self._joined.is_set()

    def sole_writer(self, read_at: float) -> bool:
        """Whether no other executor can have written a status of this kind since
        ``read_at`` (monotonic seconds), nor can right now."""
        since, last = self._alone_since, self._alone_read_at
        if since is None or last is None or since > read_at:
            return False
        return time.monotonic() - last <= self.period + SLACK

    async def wait_joined(self) -> None:
        """Return once this replica's status writes cannot be overwritten by a replica
        that believes itself alone."""
        await self._joined.wait()
