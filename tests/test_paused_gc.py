"""The collector pause around reading (registers/workspace.paused_gc): what a county-sized read
made is set aside when the pause ends, and never kept once it is garbage."""

from __future__ import annotations

import gc
import weakref

import pytest

from dangyuan_cli.registers import workspace
from dangyuan_cli.registers.workspace import paused_gc


class Node:
    """Something that can refer to itself (a cycle only the collector frees)."""

    me: object = None


@pytest.fixture
def every_pause_is_big(monkeypatch):
    monkeypatch.setattr(workspace, "SET_ASIDE", 0)
    yield
    gc.unfreeze()


def test_a_cycle_read_in_one_part_is_freed_when_the_next_part_is_read(every_pause_is_big) -> None:
    with paused_gc():
        node = Node()
        node.me = node  # alive, and a cycle: set aside with the rest of the read
    gone = weakref.ref(node)
    del node
    gc.collect()
    assert gone() is not None  # set aside: the collector does not walk it
    with paused_gc():  # the next part of a batch worker
        pass
    assert gone() is None


def test_a_cycle_that_is_garbage_when_the_pause_ends_is_freed_by_the_next_pause(every_pause_is_big) -> None:
    with paused_gc():
        node = Node()
        node.me = node
        gone = weakref.ref(node)
        del node  # garbage made while reading
    with paused_gc():
        pass
    assert gone() is None


def test_a_small_read_sets_nothing_aside() -> None:
    before = gc.get_freeze_count()
    with paused_gc():
        [Node() for _ in range(100)]
    assert gc.get_freeze_count() == before
