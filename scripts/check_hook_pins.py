"""Check that the tools pinned by both .pre-commit-config.yaml (its hooks'
additional_dependencies) and requirements-dev.txt have the same version there.

    python scripts/check_hook_pins.py   # exit 1, naming them, when they differ

make test lints with the hooks' versions; developers' editors and ad hoc runs
use the virtualenv's (requirements-dev.txt): the two must not drift.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!-]+)")


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(text):
    found = {}
    for name, version in PIN.findall(text):
        found.setdefault(norm(name), set()).add(version)
    return found


def main():
    hook_text = (ROOT / ".pre-commit-config.yaml").read_text()
    deps = "\n".join(re.findall(r"additional_dependencies:\s*\[([^\]]*)\]", hook_text))
    hooks = pins(deps)
    dev = pins(
        "\n".join(
            line.split("#", 1)[0]
            for line in (ROOT / "requirements-dev.txt").read_text().splitlines()
        )
    )
    wrong = []
    for name, versions in sorted(hooks.items()):
        if len(versions) > 1:
            wrong.append(f"{name}: hooks pin {', '.join(sorted(versions))}")
        elif name in dev and dev[name] != versions:
            wrong.append(
                f"{name}: hooks pin {next(iter(versions))}, "
                f"requirements-dev.txt {', '.join(sorted(dev[name]))}"
            )
    if wrong:
        print("Pinned versions differ:\n  " + "\n  ".join(wrong))
        sys.exit(1)


if __name__ == "__main__":
    main()
