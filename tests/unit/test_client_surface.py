"""Both clients expose the same fully documented methods, and keys never leak through them."""

from __future__ import annotations

import asyncio
import inspect
import re

import pytest

from colonies.client import AsyncColoniesClient, ColoniesClient
from colonies.client._api import Operations
from colonies.client._operation import FlowOperation, Operation, SubscriptionOperation
from colonies.crypto import InvalidKeyError, PrivateKey

KEY = "6d2fb6f546bacfd98c68769e61e0b44a697a30596c018a50e28200aa59b01c0a"
OTHER = "abf8958201382d444a8555997078cee882edd34096a4485a8d403430ff46f246"
DESCRIPTORS = (Operation, FlowOperation, SubscriptionOperation)

# docs/architecture.md "Client": the method names the rest of the project relies on.
ARCHITECTURE_METHODS = [
    "version",
    "server_info",
    "get_colonies",
    "get_colony",
    "add_colony",
    "remove_colony",
    "get_statistics",
    "get_colony_statistics",
    "get_cluster",
    "get_executors",
    "get_executor",
    "get_executor_by_id",
    "add_executor",
    "approve_executor",
    "reject_executor",
    "remove_executor",
    "get_users",
    "get_user",
    "add_user",
    "remove_user",
    "submit",
    "submit_function_spec",
    "get_process",
    "get_processes",
    "remove_process",
    "remove_all_processes",
    "assign",
    "close_process",
    "fail_process",
    "set_output",
    "cancel_process",
    "pause_assignments",
    "resume_assignments",
    "is_paused",
    "submit_workflow",
    "get_process_graph",
    "get_process_graphs",
    "remove_process_graph",
    "remove_all_process_graphs",
    "cancel_process_graph",
    "get_workflow_processes",
    "add_log",
    "get_logs",
    "search_logs",
    "add_function",
    "get_functions",
    "remove_function",
    "get_crons",
    "get_cron",
    "add_cron",
    "remove_cron",
    "run_cron",
    "get_generators",
    "get_generator",
    "add_generator",
    "resolve_generator",
    "pack_generator",
    "remove_generator",
    "get_file_labels",
    "get_files",
    "get_file",
    "add_file",
    "remove_file",
    "add_attribute",
    "get_attribute",
    "add_location",
    "get_locations",
    "get_location",
    "remove_location",
    "channel_append",
    "channel_read",
    "subscribe_process",
    "subscribe_processes",
    "subscribe_channel",
    "add_blueprint_definition",
    "get_blueprint_definition",
    "get_blueprint_definitions",
    "remove_blueprint_definition",
    "add_blueprint",
    "get_blueprint",
    "get_blueprints",
    "update_blueprint",
    "update_blueprint_status",
    "reconcile_blueprint",
    "remove_blueprint",
    "get_blueprint_history",
    "update_blueprint_spec",
]


def _operations() -> dict[str, object]:
    return {
        name: value
        for klass in Operations.__mro__
        for name, value in vars(klass).items()
        if isinstance(value, DESCRIPTORS)
    }


def test_every_architecture_method_exists() -> None:
    assert set(ARCHITECTURE_METHODS) <= set(_operations())


def test_every_operation_is_documented_and_takes_a_key_override() -> None:
    for name, descriptor in _operations().items():
        build = descriptor.build  # type: ignore[attr-defined]
        assert build.__doc__, name
        parameter = inspect.signature(build).parameters.get("key")
        assert parameter is not None, name
        assert parameter.kind is inspect.Parameter.KEYWORD_ONLY, name
        assert parameter.default is None, name


def test_both_clients_serve_every_operation() -> None:
    sync = ColoniesClient(key=KEY)
    asynchronous = AsyncColoniesClient(key=KEY)
    for name, descriptor in _operations().items():
        sync_method = getattr(sync, name)
        async_method = getattr(asynchronous, name)
        assert sync_method.__doc__ == async_method.__doc__ == descriptor.__doc__
        assert sync_method.__name__ == async_method.__name__
        if isinstance(descriptor, SubscriptionOperation):
            assert not inspect.iscoroutinefunction(async_method)
        else:
            assert inspect.iscoroutinefunction(async_method), name
            assert not inspect.iscoroutinefunction(sync_method), name
    sync.close()
    asyncio.run(asynchronous.aclose())


def test_operations_only_bind_to_clients() -> None:
    class NotAClient(Operations):
        pass

    with pytest.raises(TypeError, match="only available on ColonyOS clients"):
        NotAClient().get_colony  # type: ignore[call-overload]  # noqa: B018


@pytest.mark.parametrize("factory", [ColoniesClient, AsyncColoniesClient])
def test_repr_shows_the_key_id_prefix_only(factory: type[ColoniesClient]) -> None:
    client = factory("127.0.0.1", 1, key=KEY)
    text = repr(client) + str(client) + repr(client.config)
    assert KEY not in text
    assert KEY.upper() not in text
    assert PrivateKey(KEY).id[:12] in text
    assert re.search(r"key_id='[0-9a-f]{12}…'", repr(client))
    other = client.with_key(OTHER)
    assert OTHER not in repr(other)
    assert other.key_id == PrivateKey(OTHER).id
    assert client.key_id == PrivateKey(KEY).id


def test_bad_keys_are_refused_without_echoing_them() -> None:
    almost = KEY[:-1] + "z"
    with pytest.raises(InvalidKeyError) as raised:
        ColoniesClient(key=almost)
    assert almost not in str(raised.value)
    assert KEY[:40] not in str(raised.value)
    with pytest.raises(InvalidKeyError) as raised:
        ColoniesClient(key=KEY).get_colony("c", key=almost)
    assert KEY[:40] not in str(raised.value)


def test_from_url_parses_scheme_host_and_port() -> None:
    client = ColoniesClient.from_url("https://colonies.example:8443", key=KEY)
    assert client.url == "https://colonies.example:8443"
    assert client.config.tls
    assert not client.config.insecure
    client.close()
    with pytest.raises(ValueError, match="http:// or https://"):
        ColoniesClient.from_url("ftp://x")


def test_from_env_uses_the_prvkey_variable() -> None:
    client = ColoniesClient.from_env({"COLONIES_PRVKEY": KEY, "COLONIES_SERVER_PORT": "1234"})
    assert client.key_id == PrivateKey(KEY).id
    assert client.url == "http://localhost:1234"
    client.close()
