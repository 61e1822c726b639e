"""The package's public surface: every exported name resolves, lazily."""

from __future__ import annotations

import subprocess
import sys

import pytest

import colonies


def test_every_exported_name_resolves() -> None:
    for name in colonies.__all__:
        assert getattr(colonies, name) is not None, name


def test_clients_reconciler_and_devserver_come_from_the_top_level() -> None:
    from colonies import AsyncColoniesClient, ColoniesClient, DevServer, Reconciler
    from colonies.client import ColoniesClient as Direct

    assert ColoniesClient is Direct
    assert AsyncColoniesClient.__name__ == "AsyncColoniesClient"
    assert Reconciler.__name__ == "Reconciler"
    assert DevServer.__name__ == "DevServer"


def test_importing_the_package_does_not_load_runtime_or_devserver() -> None:
    code = (
        "import sys, colonies; "
        "print(any(m.startswith(('colonies.runtime', 'colonies.devserver', 'colonies.client')) "
        "for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NoSuchThing"):
        colonies.NoSuchThing  # noqa: B018
