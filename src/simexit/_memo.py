"""One memory budget for every memo of the process.

The engine memoises the immutable parts of plans in many small caches: per
country, per ruled step, per registry.  Each is a :class:`Memo`, and every
memo draws on one :class:`Budget`, a number of entries for the whole process,
whatever the countries, registries, locales and dates planned.

A memo has two generations, ``new`` and ``old`` (plain dicts).  Entries are
stored in ``new``; a key found only in ``old`` is moved back into ``new``
(it was used, and a move leaves the count unchanged).

What happens once the memos together hold the budget is chosen so that a
batch larger than the budget, planned again and again (a cyclic scan, the
worst case of an LRU order, where every entry is dropped just before it is
needed), still finds part of what it memoised:

* **Admission while there is room.**  New entries are stored only while the
  memos hold less than the budget.  Once it is full, a new entry is not
  stored (it is refused: the part was built, and is simply not kept), and
  what is held stays.  A refusal costs a counter step, so a full memo is
  never slower than no memo: there is no cliff.
* **Rotation after a budget's worth of refusals** (:data:`PATIENCE` times
  the budget).  Every memo then drops its ``old`` generation, which holds
  only what was not used since the previous rotation, and its ``new`` one
  becomes ``old``.  What the drop frees is open to new entries again.  So a
  load that has moved on (other countries, another period) takes over the
  memo after at most twice that many refusals, and an entry in use is never
  dropped: read between two rotations, it is back in ``new``.

For a batch of ``W`` entries planned twice under a budget ``B < W`` this
keeps the first ``B`` entries of the first pass, and about ``B / W`` of the
second pass hits (where an LRU order or dropping everything gives none)
while ``W`` stays below about ``(PATIENCE + 1) * B``.  Every step is O(1)
(a rotation is O(memos), and what it frees was counted when stored); a hit
costs one dict lookup (see the engine's hot path), cheaper in CPython than
an LRU's reordering or a CLOCK bit; nothing is random.

Counting uses :func:`itertools.count` (atomic under the GIL) and rotation a
lock, so threads may share memos as they share dicts; with threads racing,
a rotation may let a few entries (one per thread) land in the generation
next to the one that counted them.
"""

from __future__ import annotations

import itertools
import sys
import threading
import weakref
from typing import Any

#: Entries every memo of a process may hold together, unless changed with
#: :func:`set_memo_budget`: at most about 250 MB (docs/scale.md).  What
#: 100 000 typical situations memoise (about 100 000 entries) fits.
DEFAULT_BUDGET = 200_000

#: Refusals between two rotations, in budgets: the longer, the larger a
#: repeated batch whose first entries survive until it comes round again;
#: the shorter, the sooner a load that moved on takes the memo over.
PATIENCE = 2


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
        """The value of *key* from the old generation, moved to the new one
        (it is in use: the next rotation keeps it)."""
        value = self.old.pop(key, None)
        if value is not None:
            self.new[key] = value
        return value

    def put(self, key: Any, value: Any) -> None:
        """Store *value* under *key* if the budget has room (see the module)."""
        budget = self.budget
        ticket = next(budget.tickets)
        if ticket < budget.admit_until or (
            ticket >= budget.rotate_at and budget.rotate(ticket)
        ):
            self.new[key] = value

    def clear(self) -> None:
        """Forget every entry of this memo."""
        self.new = {}
        self.old = {}

    def __len__(self) -> int:
        return len(self.new) + len(self.old)


class Budget:
    """How many entries all the memos made from it may hold together.

    Every :meth:`Memo.put` draws a ticket: tickets below ``admit_until`` are
    stored (the room left), the next ``PATIENCE * entries`` are refused, and
    the one at ``rotate_at`` rotates every memo.
    """

    def __init__(self, entries: int) -> None:
        self._lock = threading.Lock()
        self._memos: weakref.WeakSet[Memo] = weakref.WeakSet()
        self.tickets = itertools.count()
        self.entries = entries
        self.admit_until = 0
        self.rotate_at = 0
        self._open(0, entries)

    def _open(self, ticket: int, room: int) -> None:
        """Admit *room* entries from *ticket* on, then refuse until the next
        rotation (never, with a budget of 0: there is nothing to free)."""
        self.admit_until = ticket + room
        if self.entries == 0:
            self.rotate_at = sys.maxsize
        else:
            self.rotate_at = self.admit_until + PATIENCE * self.entries

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
        """Rotate every memo for the put that drew *ticket* (unless another
        thread did it first); true if that put may store its entry."""
        with self._lock:
            if ticket >= self.rotate_at:
                kept = 0
                for m in self._memos:
                    m.old = m.new
                    m.new = {}
                    kept += len(m.old)
                self._open(ticket, self.entries - kept)
            return ticket < self.admit_until

    def resize(self, entries: int) -> None:
        """Change the budget; the memos are emptied only if they hold more
        than the new one allows."""
        with self._lock:
            held = sum(len(m) for m in self._memos)
            if held > entries:
                for m in self._memos:
                    m.clear()
                held = 0
            self.entries = entries
            self._open(next(self.tickets) + 1, entries - held)


#: The process's budget, shared by every registry and country.
BUDGET = Budget(DEFAULT_BUDGET)


def set_memo_budget(entries: int) -> None:
    """Let every memo of this process hold at most *entries* entries together.

    The memo keeps the immutable parts of plans already made, for every
    country, registry, locale and date; ``0`` turns it off (every plan is
    then built from scratch, with the same result).  Once the budget is
    reached, new parts are not kept until what was not used lately is
    freed; what is held stays.  Memoised parts are dropped at once only if
    they exceed the new budget.
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
