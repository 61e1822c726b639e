"""Every message type the client can send has a conformance case, so the differential suite
cannot silently fall behind the client.

The client's message types are read from its source: each request it sends is built as a
``Call(msgtype, ...)`` or ``Subscription(msgtype, ...)`` somewhere in the
``colonies.client`` package, with the type as a string literal. A type is covered when a
conformance test module holds it as a string (a comment does not count).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path
from types import ModuleType

import colonies.client
from colonies.client._api import Operations
from colonies.client._call import Call, Subscription
from colonies.client._operation import FlowOperation, Operation, SubscriptionOperation

REQUESTS = {Call.__name__, Subscription.__name__}
SUITE = Path(__file__).parent


def client_modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"{colonies.client.__name__}.{info.name}")
        for info in pkgutil.iter_modules(colonies.client.__path__)
    ]


def sent_msgtypes(module: ModuleType) -> set[str]:
    """The message types of the requests built in ``module``; a type that is not a literal
    fails, since it could not be checked."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) in REQUESTS):
            continue
        msgtype = node.args[0] if node.args else None
        where = f"{module.__name__}, line {node.lineno}"
        assert isinstance(msgtype, ast.Constant), f"{where}: the message type is not a literal"
        assert isinstance(msgtype.value, str), f"{where}: the message type is not a string"
        found.add(msgtype.value)
    return found


def strings_of_cases() -> set[str]:
    strings: set[str] = set()
    for path in SUITE.glob("test_*.py"):
        if path.name != Path(__file__).name:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            strings |= {
                node.value
                for node in ast.walk(tree)
                if isinstance(node, ast.Constant) and isinstance(node.value, str)
            }
    return strings


def test_every_module_with_client_operations_is_scanned() -> None:
    """The scan reads where the operations are: each class of ``Operations`` that defines
    one builds at least one request."""
    kinds = (Operation, FlowOperation, SubscriptionOperation)
    defining = {
        inspect.getmodule(cls)
        for cls in Operations.__mro__
        if any(isinstance(member, kinds) for member in vars(cls).values())
    }
    assert defining, "no client operations found"
    for module in defining:
        assert module is not None
        assert module in client_modules()
        assert sent_msgtypes(module), f"{module.__name__} builds no request"


def test_every_message_type_the_client_sends_has_a_conformance_case() -> None:
    sent = set().union(*(sent_msgtypes(module) for module in client_modules()))
    missing = sorted(sent - strings_of_cases())
    assert not missing, f"message types without a conformance case: {', '.join(missing)}"
