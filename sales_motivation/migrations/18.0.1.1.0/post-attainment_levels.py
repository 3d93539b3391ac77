# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.1.0: pay by attainment.

- Commission plans get attainment levels (new model
  motivation.commission.level, created by the ORM) and the bonus settings
  ``bonus_mode``, ``level_mode``, ``attainment_cap``, ``gate_*``: every
  existing plan pays no attainment bonus (``none``, tiered, no cap, no gate),
  what it paid before.
- Commission lines get the role ``bonus`` and the fields bonus lines keep;
  ``lead_id`` is no longer NOT NULL (a bonus line pays a target, not a deal;
  the CHECK ``lead_for_deal_roles`` keeps it required for registrar and
  closer lines). Existing lines are registrar or closer lines of a deal:
  nothing changes for them.
- Sales plans get ``commission_plan_id`` (empty: no bonus) and
  ``closed_date``: plans closed before the upgrade keep no date and write
  no bonus (they were closed without one)."""


def migrate(cr, version):
    if not version:
        return
    # the ORM fills new columns with their defaults; this states them for
    # rows a failed earlier attempt may have left empty (idempotent)
    cr.execute(
        """UPDATE motivation_commission_plan
              SET bonus_mode = coalesce(bonus_mode, 'none'),
                  level_mode = coalesce(level_mode, 'tiered'),
                  attainment_cap = coalesce(attainment_cap, 0),
                  gate_requests_on_time = coalesce(gate_requests_on_time, 0),
                  gate_min_quality = coalesce(gate_min_quality, 0)
            WHERE bonus_mode IS NULL OR level_mode IS NULL
               OR attainment_cap IS NULL OR gate_requests_on_time IS NULL
               OR gate_min_quality IS NULL"""
    )
