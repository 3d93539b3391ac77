"""Build the addon's README.rst and its description page
(static/description/index.html, which Odoo's Apps shows) from its
readme/*.md fragments and the screenshots of static/description/.

    python scripts/gen_readme.py          # write README.rst and index.html
    python scripts/gen_readme.py --check  # exit 1 if either is not up to date

The fragments are written in the subset of Markdown that is also valid
reStructuredText (paragraphs, "-" and "1." lists, **bold**, *italic*), so
they are copied under section titles as they are; a "## " line (the
versions of HISTORY.md) becomes a subsection title. The page is the same
text rendered by docutils, as OCA's README generator renders it; the
screenshots (``make screenshots``) are listed in SCREENSHOTS.
"""

import ast
import sys
from pathlib import Path

from docutils.core import publish_string

ADDON = Path(__file__).resolve().parent.parent / "sales_motivation"
SECTIONS = [
    ("DESCRIPTION.md", None),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("HISTORY.md", "Changelog"),
]
# (file in static/description/, caption), in the order shown; taken by
# scripts/screenshots.py from the demo database
SCREENSHOTS = [
    (
        "pipeline.png",
        "A salesperson's pipeline: the plan's progress strip, checkpoint progress, "
        "data quality, overdue badge",
    ),
    ("my_plan.png", "My Plan: each target's progress, the bonus earned so far"),
    (
        "deal_form.png",
        "A deal: the registrar, the checkpoint strip and its checkpoints",
    ),
    ("pool.png", "The shared pool: value, reason and time in the pool; Claim"),
    (
        "team_pipeline.png",
        "The team leader's pipeline: the led teams, overdue deals first",
    ),
    ("commission.png", "My Commission: a salesperson's commission lines"),
    ("statement.png", "A commission statement"),
    ("interaction_analysis.png", "Interaction Analysis, per salesperson and month"),
    ("sales_plan.png", "A sales plan: targets, achievement and attainment"),
    (
        "leaderboard.png",
        "The leaderboard: each team's salespeople ranked by attainment",
    ),
]


def title(text, char):
    return f"{text}\n{char * len(text)}\n"


def subsections(text):
    return "\n".join(
        title(line[3:], "~").rstrip("\n") if line.startswith("## ") else line
        for line in text.splitlines()
    )


def screenshots(prefix):
    parts = [title("Screenshots", "-")]
    for name, caption in SCREENSHOTS:
        if (ADDON / "static" / "description" / name).exists():
            parts.append(
                f".. figure:: {prefix}{name}\n   :alt: {caption}\n\n   {caption}\n"
            )
    return parts if len(parts) > 1 else []


def build(image_prefix="static/description/"):
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
        if fname == "USAGE.md":
            parts.extend(screenshots(image_prefix))
    parts.append(title("Credits", "-"))
    parts.append(f"Authors: {manifest['author']}. License: {manifest['license']}.\n")
    return "\n".join(parts)


def build_html():
    """The description page: the README rendered by docutils, images
    relative to the page (Odoo serves them from static/description/)."""
    return publish_string(
        build(image_prefix=""),
        writer_name="html5",
        settings_overrides={
            "output_encoding": "unicode",
            "embed_stylesheet": True,
            "xml_declaration": False,
            "report_level": 2,
            "halt_level": 2,
            "_disable_config": True,
        },
    )


def main():
    targets = {
        ADDON / "README.rst": build(),
        ADDON / "static" / "description" / "index.html": build_html(),
    }
    if "--check" in sys.argv:
        stale = [
            target
            for target, text in targets.items()
            if not target.exists() or target.read_text() != text
        ]
        for target in stale:
            print(f"{target} is not up to date: run python scripts/gen_readme.py")
        if stale:
            sys.exit(1)
        return
    for target, text in targets.items():
        target.write_text(text)


if __name__ == "__main__":
    main()
