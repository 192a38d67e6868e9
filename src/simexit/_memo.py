"""One memory budget for every memo of the process.

The engine memoises the immutable parts of plans in many small caches: per
country, per ruled step, per registry.  Each is a :class:`Memo`, and every
memo draws on one :class:`Budget`, a number of entries for the whole process,
whatever the countries, registries, locales and dates planned.

A memo has two generations, ``new`` and ``old`` (plain dicts).  Entries are
stored in ``new``; a key found only in ``old`` is copied back into ``new``.
When the ``new`` generations of all memos together hold half the budget,
every memo rotates at once: ``old`` is dropped and ``new`` becomes ``old``.
So at most the budget's worth of entries is ever held, what was used in the
last half budget's worth of insertions survives a rotation, and reaching the
budget costs one rotation (freeing what was not used lately) instead of
starting over from nothing: there is no cliff.  A hit costs one dict lookup
(see the engine's hot path), cheaper in CPython than an LRU's reordering.

Counting uses :func:`itertools.count` (atomic under the GIL) and rotation a
lock, so threads may share memos as they share dicts; with threads racing,
a rotation may let a few entries (one per thread) land in the generation
next to the one that counted them.
"""

from __future__ import annotations

import itertools
import threading
import weakref
from typing import Any

#: Entries every memo of a process may hold together, unless changed with
#: :func:`set_memo_budget`: at most about 250 MB (docs/scale.md).  What
#: 100 000 typical situations memoise (about 100 000 entries) fits in one
#: generation (half of it).
DEFAULT_BUDGET = 200_000


class Memo:
    """One memo: a ``new`` and an ``old`` generation of entries.

    Read with ``memo.new.get(key)`` first (the hot path), then
    :meth:`recall`; store with :meth:`put`.  Values are never ``None``.
    """

    __slots__ = ("__weakref__", "budget", "new", "old")

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.new: dict[Any, Any] = {}
        self.old: dict[Any, Any] = {}

    def recall(self, key: Any) -> Any:
        """The value of *key* from the old generation (kept: it was used)."""
        value = self.old.get(key)
        if value is not None:
            self.put(key, value)
        return value

    def put(self, key: Any, value: Any) -> None:
        """Store *value* under *key*, within the budget."""
        budget = self.budget
        ticket = next(budget.tickets)
        if ticket >= budget.rotate_at and not budget.rotate(ticket):
            return
        self.new[key] = value

    def clear(self) -> None:
        """Forget every entry of this memo."""
        self.new = {}
        self.old = {}

    def __len__(self) -> int:
        return len(self.new) + len(self.old)


class Budget:
    """How many entries all the memos made from it may hold together."""

    def __init__(self, entries: int) -> None:
        self._lock = threading.Lock()
        self._memos: weakref.WeakSet[Memo] = weakref.WeakSet()
        self.tickets = itertools.count()
        self.entries = entries
        self.rotate_at = self._share(entries)

    @staticmethod
    def _share(entries: int) -> int:
        """Entries the new generations may hold: half, or all when the
        budget is 1 (there is then no old generation)."""
        return entries if entries < 2 else entries // 2

    def memo(self) -> Memo:
        """A new, empty memo drawing on this budget."""
        memo = Memo(self)
        with self._lock:
            self._memos.add(memo)
        return memo

    def held(self) -> int:
        """How many entries the memos hold now, both generations."""
        with self._lock:
            return sum(len(m) for m in self._memos)

    def rotate(self, ticket: int) -> bool:
        """Rotate every memo for the insertion that drew *ticket*; false if
        nothing may be stored at all (a budget of 0)."""
        with self._lock:
            if ticket >= self.rotate_at:
                share = self._share(self.entries)
                keep = self.entries >= 2
                for m in self._memos:
                    m.old = m.new if keep else {}
                    m.new = {}
                self.rotate_at = ticket + share
            return self.entries > 0

    def resize(self, entries: int) -> None:
        """Change the budget; the memos are emptied only if they hold more
        than the new one allows."""
        with self._lock:
            share = self._share(entries)
            young = sum(len(m.new) for m in self._memos)
            old = sum(len(m.old) for m in self._memos)
            if young > share or old > entries - share:
                for m in self._memos:
                    m.clear()
                young = 0
            self.entries = entries
            self.rotate_at = next(self.tickets) + 1 + share - young


#: The process's budget, shared by every registry and country.
BUDGET = Budget(DEFAULT_BUDGET)


def set_memo_budget(entries: int) -> None:
    """Let every memo of this process hold at most *entries* entries together.

    The memo keeps the immutable parts of plans already made, for every
    country, registry, locale and date; ``0`` turns it off (every plan is
    then built from scratch, with the same result).  Reaching the budget
    frees what was not used lately.  Memoised parts are dropped at once only
    if they exceed the new budget.
    """
    from .exceptions import InvalidSituationError

    if type(entries) is not int or entries < 0:
        raise InvalidSituationError(
            "entries", entries, "a whole number of memo entries, 0 or more"
        )
    BUDGET.resize(entries)


def get_memo_budget() -> int:
    """How many entries every memo of this process may hold together."""
    return BUDGET.entries


__all__ = [
    "BUDGET",
    "DEFAULT_BUDGET",
    "Budget",
    "Memo",
    "get_memo_budget",
    "set_memo_budget",
]
