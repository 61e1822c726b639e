"""Executors, users and locations of a colony (protocol 3.2, 3.3, 3.10, 6)."""

from __future__ import annotations

from colonies.client._call import Call, KeyArg, as_list, as_model, as_none
from colonies.client._operation import operation
from colonies.models import Capabilities, Executor, Location, User

__all__ = ["MemberOperations"]


class MemberOperations:
    """Register, approve and look up the executors, users and locations of a colony."""

    @operation
    def get_executors(self, colony: str, *, key: KeyArg = None) -> Call[list[Executor]]:
        """All executors of a colony, including unregistered ones (state 3)."""
        message = {"colonyname": colony}
        return Call("getexecutorsmsg", message, as_list(Executor), key=key, read=True)

    @operation
    def get_executor(self, colony: str, name: str, *, key: KeyArg = None) -> Call[Executor]:
        """One executor by name."""
        message = {"colonyname": colony, "executorname": name}
        return Call("getexecutormsg", message, as_model(Executor), key=key, read=True)

    @operation
    def get_executor_by_id(
        self, colony: str, executor_id: str, *, key: KeyArg = None
    ) -> Call[Executor]:
        """One executor by the ID of its key."""
        message = {"colonyname": colony, "executorid": executor_id}
        return Call("getexecutorbyidmsg", message, as_model(Executor), key=key, read=True)

    @operation
    def add_executor(
        self,
        executor_id: str,
        name: str,
        executor_type: str,
        colony: str,
        *,
        location: str | None = None,
        capabilities: Capabilities | None = None,
        key: KeyArg = None,
    ) -> Call[Executor]:
        """Register an executor (PENDING until approved). Colony owner only. Re-adding an
        existing name replaces the old registration and needs a new approval (6.2)."""
        executor = Executor(
            executor_id=executor_id,
            executor_name=name,
            executor_type=executor_type,
            colony_name=colony,
            location_name=location or "",
            capabilities=capabilities or Capabilities(),
        )
        return Call("addexecutormsg", {"executor": executor.to_wire()}, as_model(Executor), key=key)

    @operation
    def approve_executor(self, colony: str, name: str, *, key: KeyArg = None) -> Call[None]:
        """Approve a pending executor so it may assign processes. Colony owner only."""
        message = {"colonyname": colony, "executorname": name}
        return Call("approveexecutormsg", message, as_none, key=key)

    @operation
    def reject_executor(self, colony: str, name: str, *, key: KeyArg = None) -> Call[None]:
        """Reject an executor; it can no longer act as a member. Colony owner only."""
        message = {"colonyname": colony, "executorname": name}
        return Call("rejectexecutormsg", message, as_none, key=key)

    @operation
    def remove_executor(self, colony: str, name: str, *, key: KeyArg = None) -> Call[None]:
        """Unregister an executor (soft delete, state 3); its running processes are
        re-queued and its functions removed. Colony owner only."""
        message = {"colonyname": colony, "executorname": name}
        return Call("removeexecutormsg", message, as_none, key=key)

    @operation
    def get_users(self, colony: str, *, key: KeyArg = None) -> Call[list[User]]:
        """All users of a colony."""
        return Call("getusersmsg", {"colonyname": colony}, as_list(User), key=key, read=True)

    @operation
    def get_user(self, colony: str, name: str, *, key: KeyArg = None) -> Call[User]:
        """One user by name."""
        message = {"colonyname": colony, "name": name}
        return Call("getusermsg", message, as_model(User), key=key, read=True)

    @operation
    def get_user_by_id(self, colony: str, user_id: str, *, key: KeyArg = None) -> Call[User]:
        """One user by the ID of their key."""
        message = {"colonyname": colony, "userid": user_id}
        return Call("getuserbyidmsg", message, as_model(User), key=key, read=True)

    @operation
    def add_user(
        self,
        colony: str,
        user_id: str,
        name: str,
        *,
        email: str = "",
        phone: str = "",
        key: KeyArg = None,
    ) -> Call[User]:
        """Add a user identified by the ID of their key. Colony owner only."""
        user = User(colony_name=colony, user_id=user_id, name=name, email=email, phone=phone)
        return Call("addusermsg", {"user": user.to_wire()}, as_model(User), key=key)

    @operation
    def remove_user(self, colony: str, name: str, *, key: KeyArg = None) -> Call[None]:
        """Remove a user. Colony owner only."""
        message = {"colonyname": colony, "name": name}
        return Call("removeusermsg", message, as_none, key=key)

    @operation
    def add_location(
        self,
        colony: str,
        name: str,
        *,
        description: str = "",
        long: float = 0.0,
        lat: float = 0.0,
        location_id: str = "",
        key: KeyArg = None,
    ) -> Call[Location]:
        """Add a location. Colony owner only. The server keeps ``location_id`` as sent."""
        location = Location(
            location_id=location_id,
            name=name,
            colony_name=colony,
            description=description,
            long=long,
            lat=lat,
        )
        return Call("addlocationmsg", {"location": location.to_wire()}, as_model(Location), key=key)

    @operation
    def get_locations(self, colony: str, *, key: KeyArg = None) -> Call[list[Location]]:
        """All locations of a colony."""
        message = {"colonyname": colony}
        return Call("getlocationsmsg", message, as_list(Location), key=key, read=True)

    @operation
    def get_location(self, colony: str, name: str, *, key: KeyArg = None) -> Call[Location]:
        """One location by its exact (case-sensitive) name."""
        message = {"colonyname": colony, "name": name}
        return Call("getlocationmsg", message, as_model(Location), key=key, read=True)

    @operation
    def remove_location(self, colony: str, name: str, *, key: KeyArg = None) -> Call[None]:
        """Remove a location. Colony owner only."""
        message = {"colonyname": colony, "name": name}
        return Call("removelocationmsg", message, as_none, key=key)
