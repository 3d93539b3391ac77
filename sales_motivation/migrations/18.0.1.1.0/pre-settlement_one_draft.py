# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One draft settlement per beneficiary, period, company and currency.

18.0.1.1.0 adds the exclusion constraint
motivation_settlement_one_draft_per_period. Before it, the monthly cron and
the Settle Commission wizard running at the same moment could each make a
draft for the same beneficiary and period: such duplicates are merged into
the first one (their lines move to it) and cancelled, so that the constraint
can be added."""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    cr.execute(
        """
        SELECT array_agg(id ORDER BY id)
          FROM motivation_settlement
         WHERE state = 'draft'
         GROUP BY partner_id, company_id, currency_id, date_from, date_to
        HAVING count(*) > 1
        """
    )
    groups = [ids for (ids,) in cr.fetchall()]
    for keep, *others in groups:
        cr.execute(
            "UPDATE motivation_commission_line SET settlement_id = %s"
            " WHERE settlement_id = ANY(%s)",
            [keep, others],
        )
        cr.execute(
            "UPDATE motivation_settlement SET state = 'cancelled', amount_total = 0"
            " WHERE id = ANY(%s)",
            [others],
        )
        cr.execute(
            """
            UPDATE motivation_settlement
               SET amount_total = (SELECT COALESCE(SUM(amount), 0)
                                     FROM motivation_commission_line
                                    WHERE settlement_id = %(keep)s)
             WHERE id = %(keep)s
            """,
            {"keep": keep},
        )
    if groups:
        _logger.info(
            "Merged the duplicate draft settlements of %s beneficiaries and periods",
            len(groups),
        )
