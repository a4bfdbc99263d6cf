"""Admin-written regular expressions, run in bounded time.

An admin's pattern may backtrack catastrophically (``(a+)+$`` on a long line of "a"). Every match runs
through the ``regex`` module with a ``timeout`` taken from a per-mail :class:`Budget`, and releases the
GIL while it runs (``concurrent=True``), so one bad rule costs a fraction of a second per mail and
never stalls the service.
"""

from __future__ import annotations

import time
from functools import lru_cache

import regex

from nlp.rules.definition import RuleError

__all__ = ["Budget", "RegexTimeout", "compile_pattern", "search", "sub", "MAX_TEXT", "CALL_TIMEOUT_S"]

CALL_TIMEOUT_S = 0.25  # one match; the regex module checks the clock coarsely (a cut takes ~0.5 s)
MAIL_BUDGET_S = 1.0  # all the regex work of one rule on one mail
MAX_TEXT = 200_000  # characters a pattern reads (a longer body is cut)


class RegexTimeout(RuleError):
    def __init__(self, where: str, seconds: float):
        super().__init__(f"the regular expression ran longer than {seconds:g} s and was stopped "
                         "(it probably backtracks catastrophically; anchor it or avoid nested repeats)",
                         where, code="regex_timeout")


class Budget:
    """The time the regexes of one rule on one mail may take together."""

    def __init__(self, seconds: float = MAIL_BUDGET_S, per_call: float = CALL_TIMEOUT_S):
        self.deadline = time.monotonic() + seconds
        self.per_call = per_call
        self.seconds = seconds

    def timeout(self, where: str) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise RegexTimeout(where, self.seconds)
        return min(self.per_call, left)


@lru_cache(maxsize=512)
def _compile(pattern: str, flags: int) -> regex.Pattern:
    return regex.compile(pattern, flags)


def compile_pattern(pattern: str, where: str, *, ignore_case: bool = False, group: str | None = None
                    ) -> regex.Pattern:
    """The compiled pattern, or a :class:`RuleError` naming ``where`` and what is wrong with it."""
    flags = regex.MULTILINE | regex.VERSION0 | (regex.IGNORECASE if ignore_case else 0)
    try:
        compiled = _compile(pattern, flags)
    except (regex.error, ValueError, OverflowError, RecursionError) as exc:
        raise RuleError(f"invalid regular expression {pattern!r}: {exc}", where, code="bad_regex") from None
    if group is not None and group not in compiled.groupindex:
        raise RuleError(f"the regular expression {pattern!r} has no group named {group!r} "
                        f"(write (?P<{group}>...) around the value)", where, code="bad_regex")
    return compiled


def search(compiled: regex.Pattern, text: str, budget: Budget, where: str):
    limit = budget.timeout(where)
    try:
        return compiled.search(text[:MAX_TEXT], timeout=limit, concurrent=True)
    except TimeoutError:
        raise RegexTimeout(where, limit) from None


def sub(compiled: regex.Pattern, replacement: str, text: str, budget: Budget, where: str) -> str:
    limit = budget.timeout(where)
    try:
        return compiled.sub(replacement, text[:MAX_TEXT], timeout=limit, concurrent=True)
    except TimeoutError:
        raise RegexTimeout(where, limit) from None
    except (regex.error, IndexError) as exc:  # a replacement naming a group the pattern lacks
        raise RuleError(f"bad replacement {replacement!r}: {exc}", where, code="bad_regex") from None
