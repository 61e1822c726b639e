"""The Reconciler base class: model discovery, early configuration errors, sync or async code."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from pydantic import BaseModel

from colonies.runtime import ConfigurationError, Diff, Reconciler, Resource
from colonies.runtime.reconciler import call_user_code


class Spec(BaseModel):
    power: bool


class Status(BaseModel):
    power: bool = False


class Lamp(Reconciler[Spec, Status]):
    kind = "Lamp"

    def observe(self, resource: Resource[Spec]) -> Status:
        return Status()

    def apply(self, resource: Resource[Spec], diff: Diff) -> Status:
        return Status(power=True)


def test_models_come_from_the_type_arguments() -> None:
    assert Lamp.spec_model is Spec
    assert Lamp.status_model is Status
    assert Lamp.resolved_executor_type() == "lamp-reconciler"
    assert Lamp.resolved_definition_name() == "lamp"
    Lamp.check_class()


def test_subclasses_inherit_models_and_can_rename_things() -> None:
    class Special(Lamp):
        kind = "SpecialLamp"
        executor_type = "home-reconciler"

    assert Special.spec_model is Spec
    assert Special.resolved_executor_type() == "home-reconciler"


def test_missing_kind_is_reported() -> None:
    class Nameless(Lamp):
        kind = ""

    with pytest.raises(ConfigurationError, match="kind is not set"):
        Nameless.check_class()


def test_status_fields_owned_by_the_runtime_are_refused() -> None:
    class Clashing(BaseModel):
        conditions: list[Any] = []

    class Bad(Reconciler[Spec, Clashing]):
        kind = "Bad"

        def observe(self, resource: Resource[Spec]) -> Clashing:
            return Clashing()

        def apply(self, resource: Resource[Spec], diff: Diff) -> None:
            return None

    with pytest.raises(ConfigurationError, match="conditions"):
        Bad.check_class()


async def test_sync_methods_run_in_a_thread_async_ones_in_the_loop() -> None:
    threads: list[bool] = []

    def sync_method() -> str:
        threads.append(threading.current_thread() is threading.main_thread())
        return "sync"

    async def async_method() -> str:
        threads.append(threading.current_thread() is threading.main_thread())
        return "async"

    assert await call_user_code(sync_method) == "sync"
    assert await call_user_code(async_method) == "async"
    assert threads == [False, True]
