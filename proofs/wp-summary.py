#!/usr/bin/env python3
"""Run Frama-C WP over each proved file and summarise the results.

Usage (from the repository top, as proofs/prove.mk does):

    proofs/wp-summary.py --build DIR --summary FILE FILE.c ... -- FRAMA-C FLAGS

For each source file: list the functions it defines (including ghost
functions written inside /*@ ghost ... */), run `frama-c FLAGS FILE
-wp-fct THOSE -wp-report-json DIR/NAME.json` (log in DIR/NAME.log), then
read the JSON report. WP goals are attributed to the function they are
proved in (a callee's precondition counts for the caller).

Static inline functions that a file merely includes from a header are not
selected: they belong to the header, not to the file (proofs/README.md).

Prints goals proved per file and per function, writes the same table to
the summary file (sorted, no timings, no paths outside the repository) and
exits non-zero when Frama-C fails or any goal is not proved.
"""

import json
import os
import re
import subprocess
import sys

C_KEYWORDS = {"if", "for", "while", "switch", "return", "sizeof", "do", "else"}


def strip_plain_comments(text):
    """Blank out C comments except ACSL ones (/*@ ... */), keeping offsets."""
    out = []
    i = 0
    n = len(text)
    while i < n:
        if text.startswith("/*", i) and not text.startswith("/*@", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i) and not text.startswith("//@", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def defined_functions(path):
    """Names of the functions whose body is in `path` (ghost ones included)."""
    text = strip_plain_comments(open(path, encoding="utf-8").read())
    names = set()
    for m in re.finditer(r"\b([A-Za-z_]\w*)\s*\(", text):
        name = m.group(1)
        if name in C_KEYWORDS:
            continue
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
        # Skip blanks and a ghost parameter list: "/*@ ghost (...) */".
        rest = text[i:]
        rest = re.sub(r"^\s*(/\*@\s*ghost\s*\([^)]*\)\s*\*/)?\s*", "", rest)
        # A definition is "name(...) {" where the text before the name on
        # its line is a type, not an operator or a control keyword.
        line_start = text.rfind("\n", 0, m.start()) + 1
        before = text[line_start:m.start()]
        if rest.startswith("{") and re.fullmatch(r"[\s\w\*]*[\w\*]\s*", before):
            if not re.search(r"\b(return|else|if|while|for|switch)\b", before):
                names.add(name)
    return sorted(names)


def run_wp(path, flags, build):
    base = path.replace("/", "_").replace(".", "_")
    report = os.path.join(build, base + ".json")
    log = os.path.join(build, base + ".log")
    fcts = defined_functions(path)
    if os.path.exists(report):
        os.remove(report)
    cmd = ["frama-c"] + flags + [path, "-wp-fct", ",".join(fcts),
                                 "-wp-report-json", report]
    with open(log, "w", encoding="utf-8") as out:
        rc = subprocess.call(cmd, stdout=out, stderr=subprocess.STDOUT)
    if rc != 0 or not os.path.exists(report):
        return None, fcts, log
    with open(report, encoding="utf-8") as f:
        return json.load(f), fcts, log


def counts(entry):
    """(valid, total) of a report entry: WP's own tally is under wp:main."""
    main = entry.get("wp:main", {})
    return main.get("valid", 0), main.get("total", 0)


def per_function(report, fcts):
    functions = report.get("wp:functions", {})
    rows = {}
    for fct in sorted(set(fcts) | set(functions)):
        rows[fct] = counts(functions.get(fct, {}).get("wp:section", {}))
    return rows


def main(argv):
    if "--" not in argv:
        sys.exit("usage: wp-summary.py --build DIR --summary FILE SRC... -- FLAGS")
    sep = argv.index("--")
    args, flags = argv[:sep], argv[sep + 1:]
    build, summary, files = None, None, []
    i = 0
    while i < len(args):
        if args[i] == "--build":
            build, i = args[i + 1], i + 2
        elif args[i] == "--summary":
            summary, i = args[i + 1], i + 2
        else:
            files.append(args[i])
            i += 1
    os.makedirs(build, exist_ok=True)

    lines = ["# Frama-C WP: goals proved / goals, per file and per function.",
             "# Written by `make prove` (proofs/prove.mk); see proofs/README.md.",
             ""]
    failed = False
    grand = [0, 0]
    for path in sorted(set(files)):
        report, fcts, log = run_wp(path, flags, build)
        if report is None:
            print("prove: frama-c failed on %s (see %s)" % (path, log))
            lines.append("%s: FRAMA-C FAILED" % path)
            failed = True
            continue
        rows = per_function(report, fcts)
        valid = sum(v for v, _ in rows.values())
        total = sum(t for _, t in rows.values())
        if (valid, total) != counts(report.get("wp:global", {})):
            print("prove: %s: per-function counts do not add up to WP's total" % path)
            failed = True
        grand[0] += valid
        grand[1] += total
        head = "%s: %d/%d" % (path, valid, total)
        print(head)
        lines.append(head)
        for fct in sorted(rows):
            v, t = rows[fct]
            mark = "" if v == t else "   <-- UNPROVED"
            line = "  %-32s %5d/%-5d%s" % (fct, v, t, mark)
            print(line)
            lines.append(line.rstrip())
            if v != t:
                failed = True
        lines.append("")
    tail = "total: %d/%d goals proved" % (grand[0], grand[1])
    print(tail)
    lines.append(tail)
    with open(summary, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    if failed:
        print("prove: FAILED (unproved goals above; logs in %s)" % build)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
