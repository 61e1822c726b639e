"""Which blueprints address which device, learned from the specs the reconciler handles.

A hub speaks of devices (``zigbee2mqtt/hall/lamp``, ``light.bed_light``); the runtime reconciles
blueprints. Every observe records the blueprint's ``(backend, device)``, a cleanup forgets it, so
an event can be turned into the names to reconcile. The index lives in memory: after a restart
it fills again as the startup resync reconciles every blueprint, and until a blueprint was
reconciled once its device's events have nowhere to go (the server's resync still finds it).
"""

from __future__ import annotations

from colonies_home.model import BackendKind

Address = tuple[BackendKind, str]


class DeviceIndex:
    """Blueprint names by device address, and each blueprint's address."""

    def __init__(self) -> None:
        self._address: dict[str, Address] = {}
        self._names: dict[Address, set[str]] = {}

    def learn(self, name: str, backend: BackendKind, device: str) -> None:
        """Blueprint ``name`` drives ``device`` on ``backend`` (a spec change may move it)."""
        address = (backend, device)
        if self._address.get(name) == address:
            return
        self.forget(name)
        self._address[name] = address
        self._names.setdefault(address, set()).add(name)

    def forget(self, name: str) -> None:
        """Blueprint ``name`` is gone."""
        address = self._address.pop(name, None)
        if address is None:
            return
        names = self._names[address]
        names.discard(name)
        if not names:
            del self._names[address]

    def blueprints(self, backend: BackendKind, device: str) -> list[str]:
        """The blueprints driving ``device`` (several may, e.g. one per room scene)."""
        return sorted(self._names.get((backend, device), ()))

    def on_backend(self, backend: BackendKind) -> list[str]:
        """Every blueprint driving a device on ``backend``."""
        return sorted(name for name, (kind, _) in self._address.items() if kind is backend)
