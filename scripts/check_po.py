#!/usr/bin/env python3
"""Check the addon's translations against its template.

    python scripts/check_po.py [--pot FILE] [--no-odoo] [FILE.po ...]

Without files: every ``sales_motivation/i18n/*.po`` against
``sales_motivation/i18n/sales_motivation.pot``. For each file:

- Odoo reads it: ``odoo.tools.translate.PoFileReader`` (from ``$ODOO_SRC``,
  default /opt/odoo-src) yields every entry of the module (skipped, with a
  warning, when Odoo cannot be imported or with ``--no-odoo``);
- the set of msgids is the template's: nothing missing, nothing extra, no
  fuzzy or obsolete entry, every msgstr filled in;
- every msgstr keeps what the msgid must pass on untouched: Python format
  placeholders (``%(name)s``, ``%s``, ``%%``), ``{field}`` placeholders, the
  XML/HTML tags with their attributes (QWeb ``t-out``..., ``class``...),
  ``object.<field>`` references of report names, and leading and trailing
  whitespace;
- a code string (``self.env._(...)``) formats with the msgid's arguments, a
  view term stays well-formed XML (no bare ``&``: text may drop an entity such
  as ``&amp;``, not break the markup), a report name stays a Python
  expression.

Exit status 1 when anything fails, listing each problem as ``file:line``.
"""

import argparse
import ast
import collections
import os
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "sales_motivation" / "i18n"
MODULE = "sales_motivation"

PY_FORMAT = re.compile(
    r"%(?:\((?P<name>[^)]+)\))?[-#0+]*(?:\*|\d+)?(?:\.\d+)?(?P<conv>[sdirfgeEGxXc%])"
)
BRACES = re.compile(r"(?<!\{)\{[A-Za-z0-9_.]*\}(?!\})|\{\{.*?\}\}")
TAG = re.compile(r"<[^<>]+>")
OBJECT_REF = re.compile(r"\bobject(?:\.\w+)+")


def placeholders(text):
    """What a translation must keep of ``text``, as counted multisets."""
    return {
        "format placeholder": collections.Counter(
            m.group(0) for m in PY_FORMAT.finditer(text)
        ),
        "{} placeholder": collections.Counter(BRACES.findall(text)),
        "tag": collections.Counter(TAG.findall(text)),
        "object reference": collections.Counter(OBJECT_REF.findall(text)),
    }


def edges(text):
    return re.match(r"\s*", text).group(0), re.search(r"\s*$", text).group(0)


def format_args(msgid):
    """Dummy arguments as the code passes them: named, positional or none."""
    found = [m for m in PY_FORMAT.finditer(msgid) if m.group("conv") != "%"]
    if not found:
        return None
    if any(m.group("name") for m in found):
        return {
            m.group("name"): 1 if m.group("conv") in "dirfgeEGxXc" else "x"
            for m in found
        }
    return tuple(1 if m.group("conv") in "dirfgeEGxXc" else "x" for m in found)


def well_formed(fragment):
    try:
        ET.fromstring(f"<div>{fragment}</div>")
    except ET.ParseError:
        return False
    return True


def kinds(entry):
    return {occurrence.split(":", 1)[0] for occurrence, _line in entry.occurrences}


def check_entry(entry):
    """Problems of one translated entry (empty list when it is fine)."""
    msgid, msgstr = entry.msgid, entry.msgstr
    problems = []
    if not msgstr:
        return ["not translated"]
    want, have = placeholders(msgid), placeholders(msgstr)
    for what, counter in want.items():
        missing = counter - have[what]
        extra = have[what] - counter
        if missing:
            problems.append(f"{what} missing: {', '.join(sorted(missing))}")
        if extra:
            problems.append(f"{what} not in the msgid: {', '.join(sorted(extra))}")
    if edges(msgid) != edges(msgstr):
        problems.append(
            f"leading/trailing whitespace {edges(msgstr)!r} instead of {edges(msgid)!r}"
        )
    occurrences = kinds(entry)
    args = format_args(msgid)
    if "code" in occurrences and args is not None:
        try:
            msgstr % args
        except (TypeError, ValueError, KeyError) as error:
            problems.append(f"does not format like the msgid: {error}")
    if "model_terms" in occurrences and well_formed(msgid) and not well_formed(msgstr):
        problems.append("not well-formed XML any more")
    if any("print_report_name" in o for o, _line in entry.occurrences):
        try:
            ast.parse(msgstr, mode="eval")
        except SyntaxError as error:
            problems.append(f"report name is no Python expression: {error}")
    return problems


def odoo_reader():
    """Odoo's PoFileReader, or None (with the reason) when Odoo is absent."""
    src = os.environ.get("ODOO_SRC", "/opt/odoo-src")
    if src not in sys.path:
        sys.path.insert(0, src)
    try:
        from odoo.tools.translate import PoFileReader
    except Exception as error:  # noqa: BLE001 - any import failure: skip
        return None, f"{type(error).__name__}: {error}"
    return PoFileReader, None


def check_file(path, pot_ids, reader):
    errors = []
    po = polib.pofile(str(path))

    def fail(line, message):
        errors.append(f"{path}:{line}: {message}")

    ids = collections.Counter(e.msgid for e in po if not e.obsolete)
    for msgid, count in ids.items():
        if count > 1:
            fail(0, f"msgid {msgid!r} appears {count} times")
    for msgid in sorted(pot_ids - set(ids)):
        fail(0, f"missing msgid {msgid!r}")
    for entry in po:
        if entry.obsolete:
            fail(entry.linenum, f"obsolete entry {entry.msgid!r}")
            continue
        if entry.msgid not in pot_ids:
            fail(entry.linenum, f"msgid not in the template: {entry.msgid!r}")
        if "fuzzy" in entry.flags:
            fail(entry.linenum, f"fuzzy entry {entry.msgid!r}")
        for problem in check_entry(entry):
            fail(entry.linenum, f"{problem} ({entry.msgid[:60]!r})")
    if reader is not None:
        try:
            rows = list(reader(str(path)))
        except Exception as error:  # noqa: BLE001 - report whatever Odoo raises
            fail(0, f"Odoo cannot read the file: {type(error).__name__}: {error}")
        else:
            sources = {row["src"] for row in rows}
            if missing := set(ids) - sources:
                fail(0, f"Odoo reads no entry for {len(missing)} msgid(s)")
            if others := {row["module"] for row in rows} - {MODULE}:
                fail(0, f"entries of other modules: {', '.join(sorted(others))}")
    return errors, len(ids)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--pot", type=Path, default=I18N / f"{MODULE}.pot")
    parser.add_argument("--no-odoo", action="store_true", help="skip PoFileReader")
    options = parser.parse_args(argv)
    files = options.files or sorted(I18N.glob("*.po"))
    pot_ids = {e.msgid for e in polib.pofile(str(options.pot)) if not e.obsolete}
    reader, why = (None, "--no-odoo") if options.no_odoo else odoo_reader()
    if reader is None:
        print(f"WARNING: Odoo's PoFileReader not used ({why})", file=sys.stderr)
    failed = False
    for path in files:
        errors, count = check_file(path, pot_ids, reader)
        for error in errors:
            print(error)
        status = f"{len(errors)} problem(s)" if errors else "ok"
        print(f"{path.name}: {count} entries, {status}", file=sys.stderr)
        failed |= bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
