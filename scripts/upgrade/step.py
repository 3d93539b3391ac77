"""One step of the upgrade test, run in ``odoo-bin shell`` (``env`` given).

``SM_UPGRADE_STEP=snapshot``: write the snapshot to ``SM_UPGRADE_OUT``.
``SM_UPGRADE_STEP=check``: compare with ``SM_UPGRADE_BEFORE``, check the new
version's data is in force and run the migrations' own checks; write one
``ok …`` or ``FAIL …`` line per check to ``SM_UPGRADE_OUT``.
"""

# ruff: noqa: F821  (env is given by odoo-bin shell)
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.environ["SM_UPGRADE_LIB"]))
import checks  # noqa: E402
import upgrade_lib  # noqa: E402

from odoo.modules.module import get_manifest  # noqa: E402

step = os.environ["SM_UPGRADE_STEP"]
out_path = os.environ["SM_UPGRADE_OUT"]


def run_check():
    lines = []

    def report(name, problems):
        if problems:
            lines.extend(f"FAIL {name}: {problem}" for problem in problems)
        else:
            lines.append(f"ok {name}")

    with open(os.environ["SM_UPGRADE_BEFORE"]) as before_file:
        before = json.load(before_file)
    released = upgrade_lib.version_tuple(before["version"])
    current = get_manifest(upgrade_lib.MODULE)["version"]
    versions = sorted(
        (
            v
            for v in set(checks.EXPECTED) | set(checks.CHECKS)
            if released
            < upgrade_lib.version_tuple(v)
            <= upgrade_lib.version_tuple(current)
        ),
        key=upgrade_lib.version_tuple,
    )
    expected = {}
    for version in versions:
        expected.update(checks.EXPECTED.get(version, {}))
    after = upgrade_lib.snapshot(env.cr)
    report(
        f"installed version is {current} (was {before['version']})",
        []
        if after["version"] == current
        else [f"the database says {after['version']}"],
    )
    report(
        "nothing lost or changed (counts, sums by state, every column's values)",
        upgrade_lib.compare(before, after, expected),
    )
    report(
        "every record rule, cron, sequence and default record of this version in force",
        upgrade_lib.data_not_in_force(env),
    )
    for version in versions:
        for check in checks.CHECKS.get(version, ()):
            report(f"{version}: {check.__doc__ or check.__name__}", check(env, before))

    # the checks above can fail: tamper with the upgraded data (rolled back)
    # and see them fail
    with env.cr.savepoint(flush=True) as savepoint:
        env.cr.execute(
            "UPDATE motivation_commission_line SET amount = amount + 0.01"
            " WHERE id = (SELECT max(id) FROM motivation_commission_line"
            "              WHERE state = 'settled')"
        )
        tampered = upgrade_lib.snapshot(env.cr)
        savepoint.close(rollback=True)
    report(
        "self-test: a settled amount changed by one cent is seen",
        [] if upgrade_lib.compare(after, tampered, {}) else ["not seen"],
    )
    with env.cr.savepoint(flush=True) as savepoint:
        cron = env.ref("sales_motivation.ir_cron_apply_pool_rules")
        cron.interval_number += 1
        rule = env["ir.rule"].search(
            [
                (
                    "id",
                    "in",
                    [
                        d.res_id
                        for d in env["ir.model.data"].search(
                            [
                                ("module", "=", upgrade_lib.MODULE),
                                ("model", "=", "ir.rule"),
                            ]
                        )
                    ],
                )
            ],
            limit=1,
        )
        rule.domain_force = "[(1, '=', 1)]"
        missed = upgrade_lib.data_not_in_force(env)
        savepoint.close(rollback=True)
    env.invalidate_all()
    report(
        "self-test: a cron and a record rule as an older version had them are seen",
        [] if len(missed) >= 2 else [f"only seen: {missed}"],
    )
    return lines


if step == "snapshot":
    with open(out_path, "w") as out:
        json.dump(upgrade_lib.snapshot(env.cr), out, indent=1, sort_keys=True)
    print("snapshot written")
elif step == "check":
    results = run_check()
    env.cr.rollback()
    with open(out_path, "w") as out:
        out.write("\n".join(results) + "\n")
    print("check written")
