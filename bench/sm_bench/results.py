"""The results writer: a scenario's rows as a text table (stdout) and as its
section of bench/RESULTS.md, between `<!-- bench:NAME -->` and
`<!-- /bench:NAME -->`; writing replaces the sections of the scenarios that
ran and keeps the others. Also used by bench/load.py (section "load").
"""

import contextlib
import os
import platform
import re

from .harness import SM_ROOT

RESULTS = os.path.join(SM_ROOT, "bench", "RESULTS.md")
HEADERS = ["Measurement", "Seconds", "Queries", "Notes"]


def rows_text(rows):
    table = [HEADERS] + [row.cells() for row in rows]
    widths = [max(len(r[i]) for r in table) for i in range(3)]
    lines = []
    for k, cells in enumerate(table):
        lines.append(
            "  ".join(
                [
                    cells[0].ljust(widths[0]),
                    cells[1].rjust(widths[1]),
                    cells[2].rjust(widths[2]),
                    cells[3],
                ]
            ).rstrip()
        )
        if k == 0:
            lines.append("  ".join("-" * w for w in widths) + "  " + "-" * 5)
    return lines


def md_escape(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def machine_line(bench):
    mem_kb = 0
    with contextlib.suppress(OSError), open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    try:
        import odoo.release

        odoo_version = odoo.release.version
    except ImportError:
        odoo_version = "?"
    info = bench.info
    return (
        f"{os.cpu_count()} CPUs, {mem_kb / 1024 / 1024:.1f} GiB RAM, "
        f"PostgreSQL {info['postgresql']}, Python {platform.python_version()}, "
        f"Odoo {odoo_version}; {info['leads']} leads ({info['active_leads']} active), "
        f"{info['users']} salespeople"
    )


def load_note(load):
    """The machine's load average (1 minute) at a scenario's start and end:
    other jobs sharing the CPUs move its figures."""
    if not load:
        return ""
    start, end = load[0], load[-1]
    busy = max(start, end) > (os.cpu_count() or 1) / 2
    return f" Load average {start:.1f} at the start, {end:.1f} at the end" + (
        ": measured under load (other jobs shared the CPUs)." if busy else "."
    )


def section_md(bench, name, title, baseline, rows, when, load=None):
    """One scenario's section: title and baseline already formatted; load:
    the load averages at its start and end (load_note)."""
    lines = [
        f"<!-- bench:{name} -->",
        f"## {name}: {title}",
        "",
        f"Run {when}; machine: {machine_line(bench)}.{load_note(load)}",
        "",
    ]
    if baseline:
        lines += [f"Compared with: {baseline}", ""]
    lines.append("| " + " | ".join(HEADERS) + " |")
    lines.append("|---|---:|---:|---|")
    for row in rows:
        lines.append("| " + " | ".join(md_escape(c) for c in row.cells()) + " |")
    lines.append(f"<!-- /bench:{name} -->")
    return "\n".join(lines)


SECTION_RE = re.compile(r"<!-- bench:([\w-]+) -->.*?<!-- /bench:\1 -->", re.S)
RESULTS_HEADER = """# Benchmark results

Written by `make bench` (scripts/bench.sh, bench/run.py) on a database generated
by bench/generate.py. Each scenario's section is replaced when it runs again;
run some only with `make bench BENCH_SCENARIOS=name,...`. Seconds are wall
time; queries are SQL statements Odoo counted (for odoo-bin: while loading
modules). Timings depend on the machine and on what else runs on it.
"""


def write_results(path, sections):
    """Replace (or append) the given sections, keep the other ones."""
    text = RESULTS_HEADER
    if os.path.exists(path):
        with open(path) as f:
            text = f.read()
    existing = {m.group(1) for m in SECTION_RE.finditer(text)}
    text = SECTION_RE.sub(lambda m: sections.get(m.group(1), m.group(0)), text)
    text = text.rstrip("\n") + "\n"
    for name, body in sections.items():
        if name not in existing:
            text += "\n" + body + "\n"
    with open(path, "w") as f:
        f.write(text)
