"""Function and workflow specs decoded the way the Go server's ``json.Unmarshal`` does.

The server decodes a request into typed structs: a wrong JSON type fails the whole request
("..., invalid JSON"), ``null`` or a missing field leaves Go's zero value, keys match
case-insensitively (exact spelling preferred), and unknown fields are dropped. What it then
stores and echoes is that struct, so decoding here also fixes the key order and the set of
keys of every spec the dev server returns (protocol 9, 7.7).
"""

from __future__ import annotations

import functools
from typing import Any

from colonies.devserver import gojson

__all__ = [
    "SpecError",
    "decode_function_spec",
    "decode_workflow_spec",
    "decode_workflow_spec_text",
    "go_field",
    "go_int",
    "go_str",
]


class SpecError(ValueError):
    """The request does not fit the server's Go types (reported as "..., invalid JSON")."""


def go_field(obj: dict[str, Any], name: str) -> Any:
    """``obj[name]`` with Go's key matching: exact first, then case-insensitive; ``None``
    when absent (Go keeps the zero value for both absent keys and ``null``)."""
    if name in obj:
        return obj[name]
    lowered = name.lower()
    for key, value in obj.items():
        if key.lower() == lowered:
            return value
    return None


def go_str(obj: dict[str, Any], name: str) -> str:
    value = go_field(obj, name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise SpecError(name)
    return value


def go_int(obj: dict[str, Any], name: str) -> int:
    value = go_field(obj, name)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        raise SpecError(name)
    return value


def go_bool(obj: dict[str, Any], name: str) -> bool:
    value = go_field(obj, name)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise SpecError(name)
    return value


def go_object(obj: dict[str, Any], name: str) -> dict[str, Any] | None:
    value = go_field(obj, name)
    if value is not None and not isinstance(value, dict):
        raise SpecError(name)
    return value


def go_list(obj: dict[str, Any], name: str) -> list[Any] | None:
    value = go_field(obj, name)
    if value is not None and not isinstance(value, list):
        raise SpecError(name)
    return value


def go_str_list(obj: dict[str, Any], name: str) -> list[str] | None:
    value = go_list(obj, name)
    if value is not None and not all(isinstance(item, str) for item in value):
        raise SpecError(name)
    return value


def _gpu(raw: dict[str, Any] | None) -> dict[str, Any]:
    raw = raw or {}
    return {
        "name": go_str(raw, "name"),
        "mem": go_str(raw, "mem"),
        "count": go_int(raw, "count"),
        "nodecount": go_int(raw, "nodecount"),
    }


def _conditions(raw: dict[str, Any] | None) -> dict[str, Any]:
    raw = raw or {}
    conditions: dict[str, Any] = {
        "colonyname": go_str(raw, "colonyname"),
        "executornames": go_str_list(raw, "executornames"),
        "executortype": go_str(raw, "executortype"),
    }
    location = go_str(raw, "locationname")
    if location:
        conditions["locationname"] = location
    conditions.update(
        {
            "dependencies": go_str_list(raw, "dependencies"),
            "nodes": go_int(raw, "nodes"),
            "cpu": go_str(raw, "cpu"),
            "processes": go_int(raw, "processes"),
            "processespernode": go_int(raw, "processespernode"),
            "mem": go_str(raw, "mem"),
            "storage": go_str(raw, "storage"),
            "gpu": _gpu(go_object(raw, "gpu")),
            "walltime": go_int(raw, "walltime"),
        }
    )
    return conditions


def _filesystem(raw: dict[str, Any] | None) -> dict[str, Any]:
    raw = raw or {}
    return {
        "mount": go_str(raw, "mount"),
        "snapshots": go_list(raw, "snapshots"),
        "dirs": go_list(raw, "dirs"),
    }


def _env(raw: dict[str, Any]) -> dict[str, str] | None:
    env = go_object(raw, "env")
    if env is not None and not all(isinstance(value, str) for value in env.values()):
        raise SpecError("env")
    return env


def decode_function_spec(raw: Any) -> dict[str, Any]:
    """A FunctionSpec struct as the server holds it, before submit-time normalisation."""
    if not isinstance(raw, dict):
        raise SpecError("spec")
    spec: dict[str, Any] = {
        "nodename": go_str(raw, "nodename"),
        "funcname": go_str(raw, "funcname"),
        "args": go_list(raw, "args"),
        "kwargs": go_object(raw, "kwargs"),
        "priority": go_int(raw, "priority"),
        "maxwaittime": go_int(raw, "maxwaittime"),
        "maxexectime": go_int(raw, "maxexectime"),
        "maxretries": go_int(raw, "maxretries"),
        "conditions": _conditions(go_object(raw, "conditions")),
        "label": go_str(raw, "label"),
        "fs": _filesystem(go_object(raw, "fs")),
        "env": _env(raw),
    }
    channels = go_str_list(raw, "channels")
    if channels:
        spec["channels"] = channels
    return spec


def decode_workflow_spec(raw: Any) -> dict[str, Any]:
    """``{colonyname, functionspecs}`` with every function spec decoded."""
    if not isinstance(raw, dict):
        raise SpecError("spec")
    specs = go_list(raw, "functionspecs")
    return {
        "colonyname": go_str(raw, "colonyname"),
        "functionspecs": None if specs is None else [decode_function_spec(s) for s in specs],
    }


def decode_workflow_spec_text(text: str) -> dict[str, Any]:
    """A workflow spec stored as JSON text (crons, generators). Raises ``ValueError`` with
    Go's message when the text is not JSON or does not fit the types."""
    try:
        raw = gojson.loads(text)
    except gojson.GoJSONError as error:
        raise ValueError(str(error)) from None
    try:
        return decode_workflow_spec(raw)
    except SpecError as error:
        raise ValueError(
            f"json: cannot unmarshal {error} into Go value of type core.WorkflowSpec"
        ) from None


_MEMORY_UNITS = {
    "Ki": 1024,
    "KiB": 1024,
    "Mi": 1024**2,
    "MiB": 1024**2,
    "Gi": 1024**3,
    "GiB": 1024**3,
    "K": 1000,
    "KB": 1000,
    "M": 1000**2,
    "MB": 1000**2,
    "G": 1000**3,
    "GB": 1000**3,
}


_UNITS_LONGEST_FIRST = sorted(_MEMORY_UNITS, key=len, reverse=True)


def normalise_cpu(text: str) -> str:
    """The server stores CPU as integer millicores: ``""``/``"2"`` -> ``"0m"``, ``"500m"``
    stays; anything else ending in ``m`` is refused with the server's message."""
    if not text.endswith("m"):
        return "0m"
    try:
        return f"{int(text[:-1])}m"
    except ValueError:
        raise SpecError("Error converting CPU to int") from None


@functools.lru_cache(maxsize=1024)
def memory_bytes(text: str) -> int:
    """Bytes in ``"8Gi"``, ``"512M"``...; ``""`` is 0. Raises SpecError with Go's message.

    Cached: assign checks every waiting candidate, and the same few strings recur."""
    if not text:
        return 0
    for unit in _UNITS_LONGEST_FIRST:
        if text.upper().endswith(unit.upper()):
            number = text[: -len(unit)]
            try:
                return int(number) * _MEMORY_UNITS[unit]
            except ValueError:
                raise SpecError(
                    f'error converting memory to int: strconv.ParseInt: parsing "{number}": '
                    "invalid syntax"
                ) from None
    raise SpecError("no valid unit found in input")


def normalise_memory(text: str) -> str:
    """Memory as the server returns it after a submit: whole MiB, ``""`` -> ``"0Mi"``."""
    return f"{memory_bytes(text) // 1024**2}Mi"


@functools.lru_cache(maxsize=1024)
def cpu_millicores(text: str) -> int:
    """Millicores in a CPU string (``"500m"``); anything without ``m`` counts as 0."""
    return int(normalise_cpu(text)[:-1])
