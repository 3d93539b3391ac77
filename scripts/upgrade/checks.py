"""What each version's migration changes on purpose, and its own checks.

The upgrade test (``scripts/upgrade_test.sh``) compares the addon's data
before and after ``-u sales_motivation``; a migration that changes stored
data on purpose declares it here, under the version it ships with:

- ``EXPECTED[version]``: ``{(table, column): why}`` — the facts of the
  snapshot it changes (``(table, "*")`` for a whole table);
- ``CHECKS[version]``: functions ``check(env, before) -> [problem, ...]``
  that prove the migration did its work (``before`` is the snapshot taken
  with the released code).

Every version from the last release (excluded) to the manifest's (included)
applies.
"""

EXPECTED = {}

CHECKS = {}
