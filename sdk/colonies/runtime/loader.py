"""Find the reconciler a command line names: ``package.module:Class`` or ``path/file.py:Class``."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

from colonies.runtime.errors import ConfigurationError
from colonies.runtime.reconciler import Reconciler


def load_reconciler(target: str) -> type[Reconciler[Any, Any]]:
    """Import ``target`` and return the Reconciler subclass it names. The current directory
    is importable, as with ``python -m``, uvicorn and kopf: ``run my_module:Light`` works
    from the directory that holds ``my_module.py``."""
    module_name, _, attribute = target.rpartition(":")
    if not module_name or not attribute:
        raise ConfigurationError(f"expected MODULE:CLASS or FILE.py:CLASS, got {target!r}")
    if module_name.endswith(".py") or "/" in module_name:
        path = Path(module_name).resolve()
        if not path.is_file():
            raise ConfigurationError(f"no such file: {module_name}")
        spec = importlib.util.spec_from_file_location(path.stem, path)
        if spec is None or spec.loader is None:
            raise ConfigurationError(f"cannot import {module_name}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[path.stem] = module
        sys.path.insert(0, str(path.parent))
        spec.loader.exec_module(module)
    else:
        if "" not in sys.path and os.getcwd() not in sys.path:
            sys.path.insert(0, os.getcwd())
        try:
            module = importlib.import_module(module_name)
        except ImportError as error:
            raise ConfigurationError(f"cannot import {module_name}: {error}") from None
    found = getattr(module, attribute, None)
    if found is None:
        raise ConfigurationError(f"{module_name} has no attribute {attribute!r}")
    if not (isinstance(found, type) and issubclass(found, Reconciler)):
        raise ConfigurationError(f"{target} is not a Reconciler subclass")
    return found
