"""One module per scenario, each with its own data preparation; importing
this package registers them, in the order `all` runs them. A new scenario: a
module here registering a function with @scenario (sm_bench.registry, with
its default and tiny sizes), imported below."""

from . import (  # noqa: F401  (registration order: the order `all` runs)
    install,
    pipeline,
    win,
    settle,
    regularity,
    overdue,
    rules,
    release,
    distribute,
    crons,
    duplicate,
    lookup,
    plan_win,
    plan_figures,
    rebuild,
    escalation,
    response_assign,
    portal,
)
