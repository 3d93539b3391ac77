"""Data through every feature of the last release, for the upgrade test.

Run by ``scripts/upgrade_test.sh`` in ``odoo-bin shell`` (``env`` is the
superuser's) against the *released* code: it may only use what that release
offers. It adds to the addon's demo data: commission lines in every state
(settled, adjusted, cancelled), checkpoints in every state, pool deals and
claims, transfers of each kind, interactions, pool rules with their notices,
repeat clients followed by the regularity cron.
"""

# ruff: noqa: F821  (env is given by odoo-bin shell)
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields

NOW = datetime.now().replace(microsecond=0)
env = env(context=dict(env.context, tracking_disable=False))  # noqa: F821


def user(login, name, groups):
    return env["res.users"].create(
        {
            "name": name,
            "login": login,
            "email": f"{login}@example.com",
            "groups_id": [(6, 0, [env.ref(g).id for g in groups])],
        }
    )


salesman = "sales_team.group_sale_salesman"
leader = user("upg_leader", "Upgrade Leader", ["sales_motivation.group_team_leader"])
ann = user("upg_ann", "Upgrade Ann", [salesman])
bob = user("upg_bob", "Upgrade Bob", [salesman])
cid = user("upg_cid", "Upgrade Cid", [salesman])
admin_commission = user(
    "upg_carla", "Upgrade Carla", ["sales_motivation.group_commission_manager"]
)
team = env["crm.team"].create(
    {
        "name": "Upgrade Team",
        "user_id": leader.id,
        "member_ids": [(6, 0, (ann | bob | cid).ids)],
    }
)
env["motivation.commission.plan"].create(
    {
        "name": "Upgrade plan",
        "team_ids": [(6, 0, team.ids)],
        "registrar_percent": 5,
        "closer_percent": 10,
    }
)
Lead = env["crm.lead"]


def deal(owner, registrar, name, revenue, when=None, **vals):
    with freeze_time(when or NOW - timedelta(days=60)):
        return Lead.create(
            {
                "name": name,
                "type": "opportunity",
                "user_id": owner.id if owner else False,
                "team_id": team.id,
                "registrar_id": registrar.id,
                "expected_revenue": revenue,
                "email_from": f"{name.lower().replace(' ', '.')}@example.com",
                **vals,
            }
        )


# -- commission in every state -------------------------------------------
won = Lead
for i in range(6):
    lead = deal(
        ann if i % 2 else bob, cid if i % 3 else ann, f"Won deal {i}", 1000 * (i + 1)
    )
    with freeze_time(NOW - timedelta(days=40 - i)):
        lead.with_user(lead.user_id).action_set_won()
    won |= lead
Line = env["motivation.commission.line"]
lines = Line.search([("lead_id", "in", won.ids)])
assert len(lines) >= 12, lines
lines.filtered(lambda x: x.lead_id in won[:4]).action_approve()
period_end = fields.Date.today()
settlements = env["motivation.settlement"]._settle(
    period_end.replace(day=1) - timedelta(days=400), period_end
)
settlements[:1].action_confirm()
settlements[1:2].action_confirm()
settlements[1:2].action_pay()
# two drafts for one beneficiary and period, as the monthly cron and the
# wizard running at the same moment could make before 18.0.1.1.0
draft = settlements.filtered(lambda s: s.state == "draft")[:1]
assert draft, "a draft settlement"
twin = draft.copy({"name": "/"})
extra = Line.search(
    [("lead_id", "=", won[4].id), ("partner_id", "=", draft.partner_id.id)]
)
extra.action_approve()
extra.write({"settlement_id": twin.id})
# a settled deal lost afterwards: a reversal adjustment line
settled_lead = settlements[:1].line_ids[:1].lead_id
settled_lead.action_set_lost()
# an open-lined deal reopened: its open lines are cancelled
won[5].write(
    {"stage_id": env["crm.stage"].search([("is_won", "=", False)], limit=1).id}
)
# a won deal whose revenue changed: lines updated
won[4].expected_revenue = 7777

# -- checkpoints in every state -------------------------------------------
Checkpoint = env["motivation.checkpoint"]
open_deals = Lead
for i in range(6):
    open_deals |= deal(ann, ann, f"Open deal {i}", 500, when=NOW - timedelta(days=90))
cps = Checkpoint.search([("lead_id", "in", open_deals.ids)])
assert cps, "open deals carry checkpoints"
cps.filtered(lambda c: c.lead_id == open_deals[0])[:1].action_done()
cps.filtered(lambda c: c.lead_id == open_deals[1])[:1].with_user(leader).action_waive(
    "Upgrade test waiver"
)
# the rest is late: the overdue cron marks them and alerts the leader
Checkpoint._cron_mark_overdue()

# -- pool, claims, transfers of each kind -----------------------------------
pool_deals = Lead
for i in range(4):
    pool_deals |= deal(bob, bob, f"Pool deal {i}", 300)
pool_deals.with_user(bob).action_release_to_pool(reason="Upgrade test: no time")
pool_deals[:2].with_user(ann).action_claim()
pool_deals[2].with_user(leader).write({"user_id": cid.id})
# a salesperson working in Russian: 18.0.1.0.0 logged his reasons in Russian
# ("Отправлено в пул пользователем …", "Взято продавцом …")
env["res.lang"]._activate_lang("ru_RU")
# as installing the language does for the addon (its data's names in Russian)
env["ir.module.module"]._load_module_terms(["sales_motivation"], ["ru_RU"])
dan = user("upg_dan", "Upgrade Dan", [salesman])
dan.lang = "ru_RU"
team.member_ids = [(4, dan.id)]
dan_deals = deal(dan, dan, "Dan's deal 0", 300) | deal(dan, dan, "Dan's deal 1", 300)
dan_deals.with_user(dan).with_context(lang="ru_RU").action_release_to_pool()
dan_deals[:1].with_user(dan).with_context(lang="ru_RU").action_claim()

# -- interactions ----------------------------------------------------------
result = env["motivation.interaction.result"].search([], limit=1)
for i, lead in enumerate(open_deals[:4]):
    env["motivation.interaction"].with_user(lead.user_id).create(
        {
            "kind": "call" if i % 2 else "meeting",
            "direction": "outgoing",
            "lead_id": lead.id,
            "contact_name": f"Contact {i}",
            "contact_phone": f"+1 555 01{i:02d}",
            "topic": "Upgrade test call",
            "result_id": result.id,
        }
    )

# a client calling in twice: the upgrade ranks its incoming contacts
for i in range(2):
    env["motivation.interaction"].with_user(open_deals[0].user_id).create(
        {
            "kind": "call",
            "direction": "incoming",
            "lead_id": open_deals[0].id,
            "contact_name": "Calling Client",
            "contact_phone": "+1 555 0199",
            "topic": f"Upgrade test incoming call {i}",
            "result_id": result.id,
        }
    )

# -- pool rules and their notices, fair distribution -----------------------
Rule = env["motivation.pool.rule"]
Rule.create(
    {
        "name": "Upgrade: silent deals",
        "team_ids": [(6, 0, team.ids)],
        "trigger": "no_interaction",
        "days": 30,
        "warning_days": 5,
        "action": "release",
        "domain": "[('name', 'like', 'Quiet')]",
    }
)
Rule.create(
    {
        "name": "Upgrade: stuck deals",
        "team_ids": [(6, 0, team.ids)],
        "trigger": "stage_stuck",
        "days": 30,
        "warning_days": 5,
        "action": "reassign",
        "domain": "[('name', 'like', 'Stuck')]",
    }
)
quiet = Lead
for i in range(3):
    quiet |= deal(cid, cid, f"Quiet deal {i}", 200, when=NOW - timedelta(days=40))
    quiet |= deal(cid, cid, f"Stuck deal {i}", 200, when=NOW - timedelta(days=40))
for i in range(2):
    quiet |= deal(cid, cid, f"Quiet young deal {i}", 200, when=NOW - timedelta(days=27))
with freeze_time(NOW - timedelta(days=10)):
    Rule._cron_apply_rules()  # the old deals are warned
Rule._cron_apply_rules()  # they move; the young ones are warned
notices = env["motivation.pool.notice"].search([("lead_id", "in", quiet.ids)])
assert set(notices.mapped("state")) >= {"pending", "done"}, notices.mapped("state")
team.sm_fair_distribution = True
with freeze_time(NOW - timedelta(days=1)):
    new_leads = Lead.create(
        [
            {
                "name": f"Web request {i}",
                "type": "lead",
                "team_id": team.id,
                "user_id": False,
            }
            for i in range(5)
        ]
    )
env["crm.team"]._cron_distribute_leads()
assert all(new_leads.mapped("user_id")), "distributed"

# -- repeat clients --------------------------------------------------------
product = env["product.product"].create(
    {"name": "Upgrade pallet", "list_price": 100.0, "taxes_id": False}
)
for i, interval in enumerate((10, 30, 60)):
    client = env["res.partner"].create(
        {
            "name": f"Upgrade repeat client {i}",
            "is_company": True,
            "user_id": ann.id,
            "sm_purchase_interval": interval,
        }
    )
    for days_ago in (120, 80, 45):
        with freeze_time(NOW - timedelta(days=days_ago)):
            order = env["sale.order"].create(
                {
                    "partner_id": client.id,
                    "user_id": ann.id,
                    "order_line": [
                        (0, 0, {"product_id": product.id, "product_uom_qty": 3})
                    ],
                }
            )
            order.action_confirm()
env["res.partner"]._cron_sm_regularity()

# -- a dormant client ordering again, and an active one ------------------
# (18.0.1.1.0 marks the first one's won deal reactivated)
dormant = env["res.partner"].create(
    {"name": "Upgrade dormant client", "is_company": True, "user_id": bob.id}
)
with freeze_time(NOW - timedelta(days=400)):
    order = env["sale.order"].create(
        {
            "partner_id": dormant.id,
            "user_id": bob.id,
            "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
        }
    )
    order.action_confirm()
for partner in (dormant, client):
    comeback = deal(bob, bob, f"Comeback of {partner.name}", 700, partner_id=partner.id)
    with freeze_time(NOW - timedelta(days=2)):
        comeback.with_user(bob).action_set_won()

env.cr.commit()
print("populated")
