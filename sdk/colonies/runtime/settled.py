"""What this runtime last read of each blueprint, so a trigger it already answered costs
no read, and a list it made earlier never replaces a newer spec.

The server queues one process per spec change and never merges them (protocol 7.3). After
a burst, or after a catch-up settled the blueprints of a backlog from one list, the
triggers still queued ask for versions that were settled already. A trigger can close
without reading its blueprint when this runtime converged the blueprint from a read made
after the trigger was submitted: the change behind the trigger was in that read, and every
later change has its own trigger. Both times are the server's, since the local clock
cannot be compared with them: a read made after this runtime was assigned a process is
later than that process's ``starttime``, so the *anchor* of a read is the newest start
time of the processes it answers (of the process that started it, for a catch-up's list).

A list is older than the triggers that follow it. Before a catch-up or a resync applies a
listed blueprint, it asks here whether a newer version was read since: applying the list
then would command the device with a replaced spec (a catch-up skips it, a resync reads
it again).

A read that has no anchor (a device event's, or a resync's, which answers triggers
submitted before the kind's cron fired, hardly worth the memory) and wrote nothing adds no
blueprint to the record; it still updates one that is there.

Caveats: the anchor trusts one server clock; in a cluster whose nodes' clocks differ by
more than ``CLOCK_MARGIN``, a trigger submitted on a node whose clock runs behind could
close as answered when it was not (its change is then applied by the next resync). Only
the newest ``capacity`` blueprints are remembered; forgetting one costs a read, nothing
else.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from colonies.runtime.shard_entry import Version

CLOCK_MARGIN = timedelta(milliseconds=50)
"""A trigger counts as answered by a read only if it was submitted this much before the
read's anchor, so small clock differences between a cluster's nodes do no harm."""


@dataclass(slots=True)
class _Read:
    version: Version
    anchor: datetime | None
    converged: bool
    written: float | None
    """When this runtime last wrote the blueprint's status (monotonic), if it did."""


class Settled:
    """The newest read of each blueprint this runtime reconciled, with its outcome."""

    def __init__(self, capacity: int = 100_000) -> None:
        self.capacity = capacity
        self._reads: OrderedDict[str, _Read] = OrderedDict()
        self._forgot_at = -math.inf

    def looked(
        self,
        name: str,
        version: Version,
        *,
        anchor: datetime | None,
        converged: bool,
        wrote: bool,
    ) -> None:
        """Record a reconcile of ``name`` that read ``version``: ``anchor`` is a server time
        the read is known to be later than (``None``: not known), ``converged`` whether the
        device and the status now match that version, ``wrote`` whether it wrote the status."""
        before = self._reads.pop(name, None)
        if before is None and anchor is None and not wrote:
            return  # it would answer no trigger: a resync of 10,000 adds nothing here
        if before is not None and before.version[0] == version[0]:
            if before.version[1] > version[1]:  # an older read: a list, not a newer state
                self._reads[name] = before
                return
            if anchor is None or (before.anchor is not None and before.anchor > anchor):
                anchor = before.anchor  # an earlier read's anchor bounds this later one too
        written = time.monotonic() if wrote else (before.written if before else None)
        self._reads[name] = _Read(version, anchor, converged, written)
        if len(self._reads) > self.capacity:
            self._reads.popitem(last=False)
            self._forgot_at = time.monotonic()

    def forget(self, name: str) -> None:
        """``name`` was removed (a cleanup ran): nothing read of it holds any more."""
        self._reads.pop(name, None)

    def answered(self, name: str, submitted: datetime | None) -> Version | None:
        """The converged version that answers a trigger of ``name`` submitted at
        ``submitted``, if a read after it converged the blueprint; else ``None``."""
        read = self._reads.get(name)
        if read is None or not read.converged or read.anchor is None or submitted is None:
            return None
        return read.version if submitted < read.anchor - CLOCK_MARGIN else None

    def read_newer(self, name: str, version: Version) -> bool:
        """Whether a newer version of the same blueprint than a listed ``version`` was read
        since: the list is out of date for ``name``."""
        read = self._reads.get(name)
        return read is not None and read.version[0] == version[0] and read.version[1] > version[1]

    def supersedes(self, name: str, version: Version) -> bool:
        """Whether a listed ``version`` of ``name`` is already handled: a newer version of the
        same blueprint was read since, or this version was read and converged."""
        read = self._reads.get(name)
        converged = read is not None and read.version == version and read.converged
        return converged or self.read_newer(name, version)

    def written_since(self, name: str, since: float) -> bool:
        """Whether this runtime wrote ``name``'s status after ``since`` (monotonic); when
        it may have and no longer remembers, it says so."""
        read = self._reads.get(name)
        if read is None:
            return self._forgot_at >= since
        return read.written is not None and read.written >= since
