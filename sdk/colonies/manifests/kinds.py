"""Which blueprint kind a word means: ``HomeDevice``, ``homedevice`` and ``homedevices`` all
name the same kind, as its definition's ``spec.names`` say (kubectl's rule for resources).

The server itself matches kinds exactly (protocol 7.2); this resolver is for what people type,
in commands and in manifests, and gives back the definition so callers use its exact kind.
"""

from __future__ import annotations

from collections.abc import Iterable

from colonies.models import BlueprintDefinition

__all__ = ["KindResolver", "UnknownKindError", "display_kind"]


class UnknownKindError(LookupError):
    """No definition declares the kind; the message lists the kinds there are."""

    def __init__(self, word: str, known: Iterable[str]) -> None:
        self.word = word
        names = sorted(set(known))
        hint = f"known kinds: {', '.join(names)}" if names else "the colony defines no kinds yet"
        super().__init__(f"unknown kind {word!r} ({hint})")


def display_kind(definition: BlueprintDefinition) -> str:
    """How output names the kind: its singular, else the kind in lower case."""
    return definition.spec.names.singular or definition.spec.names.kind.lower()


def _spellings(definition: BlueprintDefinition) -> set[str]:
    names = definition.spec.names
    words = {names.kind, names.singular, names.plural, *names.short_names}
    return {word.lower() for word in words if word}


class KindResolver:
    """Resolve a kind word against the definitions of a colony (and any about to be added).

    The first definition to claim a spelling wins. The server's are taken in its own order
    (by name), so after an upgrade the revision in effect (``9999.homedevice``) claims the kind
    rather than the one it superseded, and a definition ``add``-ed later does not shadow them.
    """

    def __init__(self, definitions: Iterable[BlueprintDefinition]) -> None:
        self._by_word: dict[str, BlueprintDefinition] = {}
        for definition in sorted(definitions, key=lambda definition: definition.metadata.name):
            self.add(definition)

    def add(self, definition: BlueprintDefinition, *, replace: bool = False) -> None:
        """Make ``definition``'s spellings resolvable unless another already claims them
        (``replace``: even then, for a definition that supersedes the stored one)."""
        for word in _spellings(definition):
            if replace:
                self._by_word[word] = definition
            else:
                self._by_word.setdefault(word, definition)

    def find(self, word: str) -> BlueprintDefinition | None:
        """The definition ``word`` names, or ``None``."""
        return self._by_word.get(word.lower())

    def resolve(self, word: str) -> BlueprintDefinition:
        """The definition ``word`` names; :class:`UnknownKindError` when none does."""
        definition = self.find(word)
        if definition is None:
            raise UnknownKindError(word, (d.spec.names.kind for d in self._by_word.values()))
        return definition
