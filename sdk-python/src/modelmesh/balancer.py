"""Spreads predictions over data-plane nodes like the Java SDK's ``NodeBalancer``: power of two choices on the
requests each node has outstanding from this client, skipping a node for a cool-down after it could not be reached."""

from __future__ import annotations

import random as _random
import threading
import time
from typing import Callable, List, Optional

COOL_DOWN = 2.0
"""Seconds a node that could not be reached is left out before it is tried again."""


class Node:
    """One node and what this client knows of it."""

    def __init__(self, url: str, now: float) -> None:
        self.url = url
        self.outstanding = 0
        self.down_until = now


class NodeBalancer:
    def __init__(self, urls: List[str], clock: Callable[[], float] = time.monotonic,
                 randint: Callable[[int], int] = lambda n: _random.randrange(n)) -> None:
        if not urls:
            raise ValueError("no data-plane nodes")
        now = clock()
        self.nodes = [Node(u, now) for u in urls]
        self._clock = clock
        self._randint = randint
        self._lock = threading.Lock()

    def urls(self) -> List[str]:
        return [n.url for n in self.nodes]

    def acquire(self, avoid: Optional[Node] = None) -> Node:
        """A node for the next request (not ``avoid`` when there is another), counted outstanding until
        :meth:`release`. Nodes in their cool-down are used only when every node is."""
        with self._lock:
            now = self._clock()
            up = [n for n in self.nodes if n.down_until <= now and n is not avoid]
            if not up:
                up = [n for n in self.nodes if n is not avoid] or self.nodes
            if len(up) == 1:
                chosen = up[0]
            else:
                a = self._randint(len(up))
                b = self._randint(len(up) - 1)
                b = b + 1 if b >= a else b
                chosen = up[a] if up[a].outstanding <= up[b].outstanding else up[b]
            chosen.outstanding += 1
            return chosen

    def release(self, node: Node) -> None:
        with self._lock:
            node.outstanding -= 1

    def mark_down(self, node: Node) -> None:
        with self._lock:
            node.down_until = self._clock() + COOL_DOWN
