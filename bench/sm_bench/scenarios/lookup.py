"""lookup: who is calling (wizard/motivation_caller_lookup.py), a phone
number or an e-mail address looked up on the duplicate check's indexed keys,
next to Odoo's own search of a deal by phone (issue 16)."""

from functools import partial

from ..harness import Row, log, measure_sides
from ..registry import scenario
from .duplicate import DUPLICATE_USER, duplicate_prepare

TARGET = 0.020  # seconds, the bar for the lookup
HISTORY = 25  # interactions logged on the looked-up client (the wizard shows 20)

SIZES = {
    "default": {"repeat": 15, "clients": 50000},
    "tiny": {"repeat": 3, "clients": 1000},
}


def own_client(bench, db, uid):
    """(id, e-mail, phone) of a client the user holds with an open deal."""
    return bench.sql(
        db,
        """
        SELECT p.id, p.email, p.phone FROM res_partner p
         WHERE p.customer_rank > 0 AND p.user_id = %s AND p.phone IS NOT NULL
           AND EXISTS (SELECT 1 FROM crm_lead l JOIN crm_stage s ON s.id = l.stage_id
                        WHERE l.partner_id = p.id AND l.active
                          AND s.is_won IS NOT TRUE)
         ORDER BY p.id LIMIT 1
        """,
        [uid],
    )[0]


def log_history(bench, db, uid, partner_id, phone):
    """HISTORY calls logged on the client by the user (ORM, committed)."""
    with bench.env(db, commit=True) as env:
        taken = env.ref("sales_motivation.interaction_result_taken")
        env["motivation.interaction"].with_user(uid).create(
            [
                {
                    "kind": "call",
                    "direction": "incoming",
                    "user_id": uid,
                    "partner_id": partner_id,
                    "contact_name": "Bench Caller",
                    "contact_phone": phone,
                    "topic": f"Bench call {i}",
                    "note": "What the client asked for, at some length. " * 5,
                    "result_id": taken.id,
                }
                for i in range(HISTORY)
            ]
        )


def formatted(phone):
    """The number as a caller display shows it: digits, spaced otherwise."""
    digits = "".join(c for c in phone if c.isdigit())
    return f"+{digits[:1]} {digits[1:4]} {digits[4:7]}-{digits[7:]}"


@scenario(
    "lookup",
    "Who is calling: the number lookup on {leads} leads and {clients} clients",
    baseline="A salesperson (bench_sp_02) enters a caller's number (formatted "
    "otherwise than stored) or e-mail address (in upper case) in Who Is "
    "Calling: the wizard's whole compute (_compute_match: the match on the "
    "indexed keys, the holder, and for their own client its history of "
    f"{HISTORY} calls and its open deals as HTML), cold cache, for their own "
    "client by phone and by e-mail and for a colleague's client by phone "
    "(only the holder's name). Next to it, Odoo's own search of a deal by "
    "phone (crm.lead search on phone_mobile_search, as the pipeline's search "
    "bar), as the same salesperson on a copy without the addon. Every client "
    "has a phone and a tax id, every deal its client's phone. Target: under "
    "20 ms.",
    sizes=SIZES,
)
def scenario_lookup(bench, p):
    rows = []
    with bench.fresh_db("odoo") as plain, bench.addon_db("ours") as ours:
        uid, _email, colleague_phone = duplicate_prepare(bench, plain, ours, p.clients)
        partner_id, email, phone = own_client(bench, ours, uid)
        log_history(bench, ours, uid, partner_id, phone)
        shown = formatted(phone)
        colleague_shown = formatted(colleague_phone)
        log(f"lookup: own client {partner_id} {shown} / {email.upper()}")
        with (
            bench.env(plain, user=DUPLICATE_USER) as odoo_env,
            bench.env(ours, user=DUPLICATE_USER) as our_env,
        ):
            Lookup = our_env["motivation.caller.lookup"]

            def lookup(query):
                wizard = Lookup.new({"query": query})
                return wizard.state, wizard.history_html

            def odoo_search(number):
                return odoo_env["crm.lead"].search(
                    [("phone_mobile_search", "ilike", number)]
                )

            cases = {
                "own client by phone": (shown, "mine"),
                "own client by e-mail": (f" {email.upper()} ", "mine"),
                "colleague's client by phone": (colleague_shown, "colleague"),
            }
            for label, (query, state) in cases.items():
                found, html = lookup(query)
                bench.expect(
                    found == state, f"lookup: {label} found {found}, not {state}"
                )
                if state == "mine":
                    shown_calls = str(html).count("Bench call")
                    bench.expect(
                        shown_calls == 20,
                        f"lookup: {label} shows {shown_calls} calls, not 20",
                    )
            bench.expect(
                bool(odoo_search(shown)), "lookup: Odoo's search finds no deal"
            )
            calls = {"Odoo": (partial(odoo_search, shown), odoo_env)}
            calls.update(
                {
                    label: (partial(lookup, query), our_env)
                    for label, (query, _s) in cases.items()
                }
            )
            timings = measure_sides(calls, repeat=p.repeat)
            rows.append(
                timings["Odoo"].row(
                    "crm.lead search by phone_mobile_search (Odoo)",
                    f"{len(odoo_search(shown))} deal(s) of the client",
                )
            )
            for label, (_query, state) in cases.items():
                timing = timings[label]
                met = timing.seconds < TARGET
                rows.append(
                    timing.row(
                        f"Who Is Calling, {label} (ours)",
                        f"{state}; {timing.seconds / timings['Odoo'].seconds:.2f}x "
                        f"Odoo's search; target < {TARGET * 1000:.0f} ms: "
                        f"{'met' if met else 'missed'}",
                    )
                )
    rows.append(
        Row(
            "data",
            None,
            "-",
            f"{p.clients} clients, every one with a phone and a tax id, every "
            f"deal its client's phone; {HISTORY} calls on the looked-up client",
        )
    )
    return rows
