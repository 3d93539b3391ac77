"""The scenarios' registry and their sizes.

A scenario is a function (bench, p) -> [Row], registered with
@scenario(name, title, baseline=..., sizes={"default": {...}, "tiny": {...}}):
`p` holds the values of the size the run uses (p.deals, p.repeat...), the
title and baseline may use them ({deals}) and the template's figures
({leads}, {users}). Every scenario gives both sizes:

- default: the figures of bench/RESULTS.md (`make bench`, on the 100,000-lead
  template);
- tiny: the same steps on a few thousand leads, one run each, so that
  `make test` runs every scenario end to end in minutes (scripts/test.sh);
  its figures mean nothing, its failures do.
"""

from dataclasses import dataclass
from types import SimpleNamespace

SIZES = ("default", "tiny")
# the template's figures the titles may use (Bench.info): not size names
INFO_KEYS = {"leads", "active_leads", "users", "postgresql"}


@dataclass
class Scenario:
    name: str
    title: str
    baseline: str
    func: object
    sizes: dict

    def params(self, size):
        return SimpleNamespace(**self.sizes[size])

    def heading(self, info, size):
        """(title, baseline) formatted with the template's figures and the size."""
        values = {**info, **self.sizes[size]}
        return self.title.format(**values), self.baseline.format(**values)


SCENARIOS = {}


def scenario(name, title, baseline="", sizes=None):
    """Register a benchmark scenario: a function (bench, p) -> list of Row."""
    sizes = sizes or {size: {} for size in SIZES}
    if set(sizes) != set(SIZES):
        raise ValueError(f"scenario {name!r}: sizes {sorted(sizes)}, not {SIZES}")
    for values in sizes.values():
        if INFO_KEYS & set(values):
            raise ValueError(f"scenario {name!r}: {INFO_KEYS & set(values)} taken")

    def register(func):
        if name in SCENARIOS:
            raise ValueError(f"scenario {name!r} registered twice")
        SCENARIOS[name] = Scenario(name, title, baseline, func, sizes)
        return func

    return register
