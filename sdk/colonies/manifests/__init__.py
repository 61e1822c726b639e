"""Manifests for the operator commands: load documents, resolve kinds, validate specs against
a kind's full schema, and plan and run ``apply`` with kubectl's created/configured/unchanged.

The library does no printing and no prompting; the ``colonies-sdk`` commands do.
"""

from colonies.manifests.applier import Colony, InvalidSpecError, Outcome
from colonies.manifests.documents import (
    STDIN,
    Loaded,
    Manifest,
    ManifestError,
    Origin,
    load_manifests,
)
from colonies.manifests.kinds import KindResolver, UnknownKindError, display_kind
from colonies.manifests.plan import Action, Plan, Step, spec_changes, spec_problems
from colonies.manifests.schemas import SPEC_SCHEMA_ANNOTATION, InvalidSchemaError, full_schema
from colonies.manifests.selectors import Selector, SelectorError, parse_selector

__all__ = [
    "SPEC_SCHEMA_ANNOTATION",
    "STDIN",
    "Action",
    "Colony",
    "InvalidSchemaError",
    "InvalidSpecError",
    "KindResolver",
    "Loaded",
    "Manifest",
    "ManifestError",
    "Origin",
    "Outcome",
    "Plan",
    "Selector",
    "SelectorError",
    "Step",
    "UnknownKindError",
    "display_kind",
    "full_schema",
    "load_manifests",
    "parse_selector",
    "spec_changes",
    "spec_problems",
]
