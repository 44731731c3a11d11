"""When and how long the client waits before it tries an idempotent call again.

The same policy as the Java SDK's ``io.modelmesh.sdk.RetryPolicy``: reads from the control plane (``GET``) and
predictions (pure functions of their input) are retried; nothing that writes is, since a register or a deploy whose
answer was lost may have happened.

Backoff: retry ``n`` (1 for the first) waits a random time in ``[d/2, d]`` with
``d = min(max_delay, base_delay * 2**(n-1))`` ("equal jitter"). A server's ``Retry-After`` raises the wait to what it
asked for, up to ``max_delay``. A prediction's first retry on *another* node goes at once: that node has not failed.

What is retried (:meth:`RetryPolicy.classify`): a connection that could not be made or broke before the answer, and
429/502/503/504 answers. Not a request that timed out waiting for its answer (it may still be running), a TLS failure
(configuration) or any other status. For predictions, overload (429, 502, 504 or a 503 other than ``shutting_down``)
is retried on another node only: sending it back to the same node would add to what overloaded it.
"""

from __future__ import annotations

import enum
import random as _random
from typing import Callable, Optional

from .errors import ModelMeshException

ANY_NODE_ERRORS = ("unavailable",)  # transport failures (see _http.py) a later try, or another node, may not hit


class Retry(enum.Enum):
    """How a failed attempt may be retried."""

    NO = "no"
    """Not at all: the answer stands."""
    ANY_NODE = "any_node"
    """On any node (another first): the node could not be reached, or is shutting down."""
    OTHER_NODE = "other_node"
    """Only on another node: the node is alive but overloaded."""


class RetryPolicy:
    """``max_attempts`` total attempts including the first (1: no retries), the first backoff step ``base_delay``
    and the largest wait ``max_delay`` (seconds)."""

    DEFAULT: "RetryPolicy"

    def __init__(self, max_attempts: int = 3, base_delay: float = 0.1, max_delay: float = 2.0) -> None:
        if not 1 <= max_attempts <= 10:
            raise ValueError("max_attempts must be 1..10, got {}".format(max_attempts))
        if base_delay < 0 or max_delay < base_delay:
            raise ValueError("need 0 <= base_delay <= max_delay, got {}, {}".format(base_delay, max_delay))
        self.max_attempts = max_attempts
        self.base_delay = float(base_delay)
        self.max_delay = float(max_delay)

    @staticmethod
    def none() -> "RetryPolicy":
        """Never retries."""
        return RetryPolicy(1, 0.0, 0.0)

    def allows_another(self, attempts_made: int) -> bool:
        """Whether another attempt is allowed after ``attempts_made`` attempts."""
        return attempts_made < self.max_attempts

    def delay(self, retry: int, retry_after: Optional[int] = None,
              random: Callable[[], float] = _random.random) -> float:
        """The wait in seconds before retry ``retry`` (1-based); ``random`` draws uniformly from [0, 1)."""
        step = min(self.max_delay, self.base_delay * (2 ** max(0, min(retry - 1, 62))))
        wait = step / 2 + random() * (step - step / 2)
        if retry_after is not None:
            wait = max(wait, min(float(max(0, min(retry_after, 3600))), self.max_delay))
        return wait

    @staticmethod
    def classify(e: ModelMeshException, prediction: bool) -> Retry:
        """How a failure may be retried; ``prediction`` is true for a prediction (overload goes to another node)."""
        if getattr(e, "transport", False):  # made up by the client: no answer came
            return Retry.ANY_NODE if e.error in ANY_NODE_ERRORS else Retry.NO
        if e.status == 503:
            if e.error == "shutting_down":
                return Retry.ANY_NODE
            return Retry.OTHER_NODE if prediction else Retry.ANY_NODE
        if e.status in (429, 502, 504):
            return Retry.OTHER_NODE if prediction else Retry.ANY_NODE
        return Retry.NO

    def __repr__(self) -> str:
        return "RetryPolicy(max_attempts={}, base_delay={}, max_delay={})".format(
            self.max_attempts, self.base_delay, self.max_delay)


RetryPolicy.DEFAULT = RetryPolicy(3, 0.1, 2.0)
"""3 attempts, waits of 50-100 ms then 100-200 ms (a ``Retry-After`` up to 2 s is honoured)."""
