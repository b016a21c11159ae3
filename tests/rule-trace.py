#!/usr/bin/env python3
"""Rule traceability: every rule ID in spec/ must be named by the code that
enforces it, by a test (a unit test, or a scenario for a rule only a booted
machine can show, such as the boot protocol), and, for a rule on guest input
(its row names an error or a fault), by a hostile scenario or a fuzz oracle.

Prints one line per rule whose chain is broken, naming the missing links,
and nothing when every chain is whole. Exit status 1 when something is
printed, so it can gate once the chains are complete.

    tests/rule-trace.py            the broken chains
    tests/rule-trace.py --summary  one line of counts after them
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

RULE_ROW = re.compile(r"^\|\s*([A-Z][A-Z0-9]*-[0-9]+)\s*\|(.*)$")
# A row that gives an error, a status or a fault is a rule on guest input.
INPUT_RULE = re.compile(r"-E[A-Z]{2,}|GNTST_|#GP|#PF|#NM|#UD|crash|BAD_PEER")
ID_ANYWHERE = re.compile(r"(?<![A-Za-z0-9_-])([A-Z][A-Z0-9]*-[0-9]+)(?![0-9])")

# Where each link of a chain may be found.
CODE_DIRS = ["hv", "dom0", "guest-abi"]
TEST_DIRS = ["tests/unit", "tests/hosted", "tests/guests"]
HOSTILE_DIRS = ["tests/guests", "fuzz"]
SOURCE_EXT = (".c", ".h", ".S", ".sh", ".conf", ".cfg", ".script", ".py")


def spec_rules():
    """{id: (spec file, is an input rule)} from the rule tables of spec/."""
    rules = {}
    spec = os.path.join(ROOT, "spec")
    for name in sorted(os.listdir(spec)):
        if not name.endswith(".md"):
            continue
        with open(os.path.join(spec, name), encoding="utf-8") as f:
            for line in f:
                m = RULE_ROW.match(line)
                if m:
                    rules[m.group(1)] = (name, bool(INPUT_RULE.search(m.group(2))))
    return rules


def ids_under(dirs):
    """Every rule-shaped ID named in the source files under `dirs`."""
    found = set()
    for d in dirs:
        for folder, subdirs, files in os.walk(os.path.join(ROOT, d)):
            subdirs[:] = [s for s in subdirs if s not in ("build", "corpus", "findings")]
            for name in files:
                if not name.endswith(SOURCE_EXT):
                    continue
                with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as f:
                    found.update(ID_ANYWHERE.findall(f.read()))
    return found


def main():
    rules = spec_rules()
    code, tested, hostile = ids_under(CODE_DIRS), ids_under(TEST_DIRS), ids_under(HOSTILE_DIRS)
    broken = 0
    for rid in sorted(rules, key=lambda r: (r.split("-")[0], int(r.split("-")[1]))):
        spec_file, on_input = rules[rid]
        missing = []
        if rid not in code:
            missing.append("code")
        if rid not in tested:
            missing.append("test")
        if on_input and rid not in hostile:
            missing.append("hostile scenario or fuzz oracle")
        if missing:
            broken += 1
            print("%s (spec/%s): no %s" % (rid, spec_file, ", no ".join(missing)))
    if "--summary" in sys.argv[1:]:
        print("rule-trace: %d rules, %d on guest input, %d traceable end to end, %d broken"
              % (len(rules), sum(1 for r in rules.values() if r[1]), len(rules) - broken, broken))
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
