"""Plain classes that behave as dataclasses do (compare, hash, print by their fields).

Making a ``@dataclass`` compiles its methods at import (about 0.2 ms a class, 0.3 ms a
frozen one); these methods are written once here and byte-compiled with the module, so
the classes read by every build (the declaration's, the formula's syntax tree) cost
nothing to make.  A subclass lists its ``_fields`` in order and writes its ``__init__``.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from typing import Any


class Record:
    """Equal when of the same class with equal fields, printed as ``Name(field=value, …)``;
    unhashable (as a mutable dataclass)."""

    _fields: tuple[str, ...] = ()
    _compared: tuple[str, ...] | None = None  # the fields compared and hashed, when not all of them
    _unshown: tuple[str, ...] = ()  # fields left out of the printed form

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in (self._fields if self._compared is None else self._compared))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._values() == other._values()
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def replaced(self, **changes: Any) -> Any:
        """A new record of the same class with ``changes`` (as ``dataclasses.replace``)."""
        values = {name: getattr(self, name) for name in self._fields}
        values.update(changes)
        return self.__class__(**values)

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields if name not in self._unshown)
        return f"{self.__class__.__qualname__}({shown})"


class Frozen(Record):
    """A record whose fields cannot be assigned after ``__init__`` (which sets them with
    ``object.__setattr__``); hashable by its fields (as a frozen dataclass)."""

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(self._values())

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")
