"""The benchmark (`make bench`, and its tiny size in `make test`).

- runner.py: the command line (scenario selection, size, results file), runs
  the scenarios and fails when one fails;
- harness.py: the cluster, template copies, odoo-bin runs, in-process Odoo
  environments, timing and query counts (`measure`, `measure_sides`,
  `timed`, `probe`);
- results.py: tables on stdout and the sections of bench/RESULTS.md (between
  `<!-- bench:NAME -->` markers);
- registry.py: `@scenario` and the sizes (default, tiny);
- data.py, baselines.py, cron_runner.py: data preparation, Odoo's own
  operations and the addon's crons as Odoo's runner runs them, shared by
  several scenarios;
- scenarios/: one module per scenario, with its own data preparation.

Run by scripts/bench.sh through bench/run.py; bench/load.py (`make load`)
uses the harness and the results writer too.
"""
