"""Build the addon's README.rst from its readme/*.md fragments.

    python scripts/gen_readme.py          # write sales_motivation/README.rst
    python scripts/gen_readme.py --check  # exit 1 if it is not up to date

The fragments are written in the subset of Markdown that is also valid
reStructuredText (paragraphs, "-" and "1." lists, **bold**, *italic*), so
they are copied under section titles as they are; a "## " line (the
versions of HISTORY.md) becomes a subsection title.
"""

import ast
import sys
from pathlib import Path

ADDON = Path(__file__).resolve().parent.parent / "sales_motivation"
SECTIONS = [
    ("DESCRIPTION.md", None),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("HISTORY.md", "Changelog"),
]


def title(text, char):
    return f"{text}\n{char * len(text)}\n"


def subsections(text):
    return "\n".join(
        title(line[3:], "~").rstrip("\n") if line.startswith("## ") else line
        for line in text.splitlines()
    )


def build():
    manifest = ast.literal_eval((ADDON / "__manifest__.py").read_text())
    parts = [
        "..\n   This file is generated from readme/*.md by scripts/gen_readme.py;"
        " do not edit it.\n",
        title(manifest["name"], "="),
        f"{manifest['summary']}\n",
        ".. contents::\n   :local:\n",
    ]
    for fname, heading in SECTIONS:
        path = ADDON / "readme" / fname
        if not path.exists():
            continue
        if heading:
            parts.append(title(heading, "-"))
        parts.append(subsections(path.read_text().strip()) + "\n")
    parts.append(title("Credits", "-"))
    parts.append(f"Authors: {manifest['author']}. License: {manifest['license']}.\n")
    return "\n".join(parts)


def main():
    target = ADDON / "README.rst"
    text = build()
    if "--check" in sys.argv:
        if not target.exists() or target.read_text() != text:
            print(f"{target} is not up to date: run python scripts/gen_readme.py")
            sys.exit(1)
        return
    target.write_text(text)


if __name__ == "__main__":
    main()
