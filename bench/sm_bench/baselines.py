"""Odoo's own operations that scenarios compare the addon's with: lead
assignment and activity creation."""

import contextlib
import datetime

from .harness import count_queries, timed


@contextlib.contextmanager
def no_commit(env):
    """Odoo's lead assignment commits every 100 leads: make those commits
    flushes (what a commit does before COMMIT: pending writes and precommit
    hooks) so that the run can be rolled back and measured again."""
    env.cr.commit = env.cr.flush
    try:
        yield
    finally:
        del env.cr.commit


def odoo_assign(env, lead_ids):
    """Odoo's own assignment (crm.team._action_assign_leads, daily quota
    forced, every creation date, as the Assign Leads button) of the bench
    teams' unassigned leads; timed with flush and precommit hooks. Returns
    (seconds, queries, check text)."""
    teams = env["crm.team"].search([("name", "like", "Bench Team")])
    with no_commit(env):
        _, seconds, queries = timed(
            env,
            lambda: teams._action_assign_leads(force_quota=True, creation_delta_days=0),
        )
    env.cr.execute(
        "SELECT count(user_id), count(*) FILTER (WHERE type = 'opportunity'),"
        " count(DISTINCT user_id) FROM crm_lead WHERE id = ANY(%s)",
        [lead_ids],
    )
    assigned, converted, users = env.cr.fetchone()
    return (
        seconds,
        queries,
        f"{assigned} of {len(lead_ids)} leads assigned over {users} salespeople "
        f"({converted} opportunities after it)",
    )


def odoo_activities(env, ids, batch):
    """Odoo's own mail.activity create of one team-leader activity per deal,
    by batches of `batch` deals, each flushed as a commit would."""
    todo = env.ref("mail.mail_activity_data_todo")
    model_id = env["ir.model"]._get_id("crm.lead")
    today = datetime.date.today()
    Activity = env["mail.activity"].with_context(mail_activity_quick_update=True)
    per_batch = []
    for start in range(0, len(ids), batch):
        leads = env["crm.lead"].browse(ids[start : start + batch])

        def create(leads=leads):
            return Activity.create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": lead.id,
                        "activity_type_id": todo.id,
                        "user_id": (lead.team_id.user_id or lead.user_id).id,
                        "date_deadline": today,
                        "summary": "Intervene: Presentation, Commercial proposal, "
                        "Contract overdue since 2026-01-01",
                    }
                    for lead in leads
                ]
            )

        _, count = count_queries(env, create)
        env.cr.flush()
        per_batch.append(count)
    return per_batch
