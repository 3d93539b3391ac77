"""The addon's batched crons run as Odoo's cron runner runs them: a progress
record per call, called again while work is left, a commit (or a flush that
can be rolled back) after each call."""

import time

from .harness import count_queries

# name: (cron xml id, model, method) of the addon's batched crons
CRON_METHODS = {
    "settle": (
        "sales_motivation.ir_cron_settle_previous_month",
        "motivation.settlement",
        "_cron_settle_previous_month",
    ),
    "regularity": (
        "sales_motivation.ir_cron_repeat_clients",
        "res.partner",
        "_cron_sm_regularity",
    ),
    "rules": (
        "sales_motivation.ir_cron_apply_pool_rules",
        "motivation.pool.rule",
        "_cron_apply_rules",
    ),
    "distribute": (
        "sales_motivation.ir_cron_distribute_leads",
        "crm.team",
        "_cron_distribute_leads",
    ),
}


def run_cron_calls(env, name, batch_size=None, commit=False):
    """One of the addon's batched crons as Odoo's cron runner runs it: a
    progress record per call, called again while a call did something and
    reports something left, a commit after each call (commit=False: a flush,
    pending writes and precommit hooks, that can be rolled back). Returns
    [(seconds, queries, done, remaining)] per call, the commit included."""
    xmlid, model, method = CRON_METHODS[name]
    cron = env.ref(xmlid)
    calls = []
    while len(calls) < 10000:
        before, start = env.cr.sql_log_count, time.perf_counter()
        _cron, progress = cron._add_progress()
        getattr(
            env[model].with_context(ir_cron_progress_id=progress.id, cron_id=cron.id),
            method,
        )(batch_size=batch_size)
        env.flush_all()
        done, remaining = progress.done, progress.remaining
        if commit:
            env.cr.commit()
        else:
            env.cr.flush()
        calls.append(
            (
                time.perf_counter() - start,
                env.cr.sql_log_count - before,
                done,
                remaining,
            )
        )
        if not (done and remaining):
            break
    return calls


def run_overdue_cron(env, commit=False):
    """The daily checkpoint cron as Odoo's cron runner runs it: a progress
    record per call, called again while it reports deals remaining, a commit
    between calls (commit=False: a flush, pending writes and precommit hooks,
    that can be rolled back). Returns [queries per call]."""
    cron = env.ref("sales_motivation.ir_cron_checkpoints_overdue")
    per_call = []
    while True:
        _cron, progress = cron._add_progress()
        model = env["motivation.checkpoint"].with_context(
            ir_cron_progress_id=progress.id
        )
        _, count = count_queries(env, model._cron_mark_overdue)
        if commit:
            env.cr.commit()
        else:
            env.cr.flush()
        per_call.append(count)
        if not progress.remaining or len(per_call) > 10000:
            return per_call
