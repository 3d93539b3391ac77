# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
import unicodedata

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column, create_index

# The keys a registration is compared on (crm_lead_duplicate.py), computed
# the same way in SQL for existing rows (fill_duplicate_keys: at install and
# by migrations/18.0.1.1.0/pre-duplicate_keys.py); full-width characters
# count as their ASCII forms (Unicode NFKC):
# - phone: its digits, the last 9 of them (the subscriber number without
#   country code or trunk prefix: "+7 912 345-67-89" and "8 (912) 345 67 89",
#   "+81 3-1234-5678" and "03-1234-5678" give the same key); numbers of
#   fewer than 7 digits have none;
# - tax id: its letters and digits, upper case; fewer than 3 give none
#   ("/" marks a client not subject to tax).
PHONE_KEY_DIGITS = 9
# Odoo stores the normalised e-mail of clients without an index, and that of
# deals with a trigram index of unaccent(email_normalized), which no
# equality uses: the check's btree indexes, dropped by the uninstall hook
EMAIL_INDEXES = {
    "crm_lead": "crm_lead_sm_email_normalized_idx",
    "res_partner": "res_partner_sm_email_normalized_idx",
}
PHONE_KEY_MIN_DIGITS = 7
VAT_KEY_MIN_CHARS = 3


def phone_key(number):
    digits = re.sub(r"[^0-9]", "", unicodedata.normalize("NFKC", number or ""))
    if len(digits) < PHONE_KEY_MIN_DIGITS:
        return False
    return digits[-PHONE_KEY_DIGITS:]


def vat_key(vat):
    chars = re.sub(r"[^0-9A-Za-z]", "", unicodedata.normalize("NFKC", vat or ""))
    chars = chars.upper()
    return chars if len(chars) >= VAT_KEY_MIN_CHARS else False


def _phone_key_sql(column):
    digits = SQL(
        "regexp_replace(normalize(%s, NFKC), '[^0-9]', '', 'g')",
        SQL.identifier(column),
    )
    return SQL(
        "CASE WHEN length(%s) >= %s THEN right(%s, %s) END",
        digits,
        PHONE_KEY_MIN_DIGITS,
        digits,
        PHONE_KEY_DIGITS,
    )


def fill_duplicate_keys(cr):
    """The phone and tax id keys of existing deals and clients, in one
    UPDATE per table, before the ORM would compute them row by row (at
    install, and when upgrading to 18.0.1.1.0)."""
    for table in ("crm_lead", "res_partner"):
        if not column_exists(cr, table, "sm_phone_key"):
            create_column(cr, table, "sm_phone_key", "varchar")
    if not column_exists(cr, "res_partner", "sm_vat_key"):
        create_column(cr, "res_partner", "sm_vat_key", "varchar")
    for table in ("crm_lead", "res_partner"):
        cr.execute(
            SQL(
                "UPDATE %s SET sm_phone_key = COALESCE(%s, %s)"
                " WHERE phone IS NOT NULL OR mobile IS NOT NULL",
                SQL.identifier(table),
                _phone_key_sql("phone"),
                _phone_key_sql("mobile"),
            )
        )
    vat = SQL("upper(regexp_replace(normalize(vat, NFKC), '[^0-9A-Za-z]', '', 'g'))")
    cr.execute(
        SQL(
            "UPDATE res_partner SET sm_vat_key ="
            " CASE WHEN length(%s) >= %s THEN %s END WHERE vat IS NOT NULL",
            vat,
            VAT_KEY_MIN_CHARS,
            vat,
        )
    )


class ResPartner(models.Model):
    """The keys a new registration is compared on to find the client it
    may duplicate (crm_lead_duplicate.py): e-mail, phone, tax id, each
    indexed."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    sm_phone_key = fields.Char(
        string="Phone Key",
        compute="_compute_sm_phone_key",
        store=True,
        index="btree_not_null",
        help="The last digits of the phone (else the mobile), which a new "
        "registration's phone is compared on.",
    )
    sm_vat_key = fields.Char(
        string="Tax ID Key",
        compute="_compute_sm_vat_key",
        store=True,
        index="btree_not_null",
        help="The tax id's letters and digits in upper case, which a new "
        "registration's client is compared on.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("phone", "mobile")
    def _compute_sm_phone_key(self):
        for partner in self:
            partner.sm_phone_key = phone_key(partner.phone) or phone_key(partner.mobile)

    @api.depends("vat")
    def _compute_sm_vat_key(self):
        for partner in self:
            partner.sm_vat_key = vat_key(partner.vat)

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    def init(self):
        res = super().init()
        # both tables' e-mail indexes here, where no other concern of deals
        # or clients overrides init (crm.lead's is crm_lead_pool.py's)
        for table, name in EMAIL_INDEXES.items():
            create_index(
                self.env.cr,
                name,
                table,
                ["email_normalized"],
                where="email_normalized IS NOT NULL",
            )
        return res
