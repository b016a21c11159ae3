#!/usr/bin/env python3
"""Run Frama-C WP over each proved file and summarise the results.

Usage (from the repository top, as proofs/prove.mk does):

    proofs/wp-summary.py --build DIR --summary FILE [--jobs N] [--weights FILE]
                         [--cache DIR --cache-mode replay|cleanup]
                         FILE.c ... -- FRAMA-C FLAGS

For each source file: list the functions it defines (including ghost
functions written inside /*@ ghost ... */), run `frama-c FLAGS FILE
-wp-fct THOSE -wp-report-json DIR/NAME.json` (log in DIR/NAME.log), then
read the JSON report. WP goals are attributed to the function they are
proved in (a callee's precondition counts for the caller).

Static inline functions that a file merely includes from a header are not
selected: they belong to the header, not to the file (proofs/README.md).

--jobs N proves up to N files at once, each in its own Frama-C process,
the files with the most goals first (goal counts from the summary that
--weights names, by default the one being rewritten). The output does not
depend on N or on the order the runs finish in: it is printed at the end,
sorted.

--cache DIR keeps one WP cache per proved file in DIR/NAME/cache/, one
JSON file per prover answer, named by the MD5 of the exact prover task
(proofs/README.md, "The proof cache"). The cache mode says how to use it:
  replay   answer a goal from the cache when its task is there, run the
           provers otherwise; never write (`make prove`)
  cleanup  the same, but record every new answer and delete the entries
           this run did not use; then drop every answer that is not
           "valid" and the caches of files no longer proved, so the cache
           holds exactly one proof per goal that needs a prover
           (`make prove-cache`)
Without --cache every goal goes to the provers (`make prove-cold`).

Prints goals proved per file and per function, then the time per file,
writes the same table to the summary file (sorted, no paths outside the
repository) followed by the provers' time per file and the slowest goals,
and exits non-zero when Frama-C fails or any goal is not proved.
"""

import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import time

C_KEYWORDS = {"if", "for", "while", "switch", "return", "sizeof", "do", "else"}
SLOWEST = 15


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


def base_name(path):
    return path.replace("/", "_").replace(".", "_")


# ---- the WP log: one line per goal, and the cache's tally -------------

GOAL_LINE = re.compile(r"^\[wp\] \[(?P<prover>[^\]]+)\] Goal (?P<goal>\S+) : "
                       r"(?P<verdict>[A-Za-z ]+?)(?P<rest>( \(.*)?)$")
CACHE_LINE = re.compile(r"^\[wp\] \[Cache\] (.*)$")


def seconds(text):
    """A WP duration ("0.92ms", "60ms", "1.2s", "1'05s", "1h02'") in seconds."""
    total, found = 0.0, False
    for value, unit in re.findall(r"(\d+(?:\.\d+)?)(ms|h|'|s)", text):
        found = True
        total += float(value) * {"ms": 1e-3, "s": 1.0, "'": 60.0, "h": 3600.0}[unit]
    return total if found else None


def prover_time(rest):
    """The prover's own time in a goal line: the first "(TIME)" group.

    "(Qed:3ms)" is the simplifier's time in this run; the prover's time
    is the one recorded with its answer (kept in the cache entry), so it
    is the same every time the answer is replayed."""
    for group in re.findall(r"\(([^()]*)\)", rest):
        if re.fullmatch(r"[\d.]+(ms|s)|\d+'\d+s?|\d+h\d+'?", group):
            return seconds(group)
    return None


def read_log(log):
    """Per goal proved by an SMT prover: (time, goal, prover); the cache tally."""
    goals, cache = [], {}
    with open(log, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = GOAL_LINE.match(line)
            if m and m.group("prover") != "Qed":
                t = prover_time(m.group("rest"))
                if t is not None and m.group("verdict") == "Valid":
                    goals.append((t, m.group("goal"), m.group("prover")))
                continue
            m = CACHE_LINE.match(line)
            if m:
                for key, value in re.findall(r"(\w+):(\d+)", m.group(1)):
                    cache[key] = cache.get(key, 0) + int(value)
    return goals, cache


# ---- one Frama-C run per file -------------------------------------------

def cache_flags(path, cache, mode):
    """The -wp-cache options for one file (see the module comment)."""
    if cache is None:
        return ["-wp-cache", "none"]
    session = os.path.join(cache, base_name(path))
    if mode == "cleanup":
        # Frama-C's garbage collection works on a session's cache only.
        return ["-wp-cache", "cleanup", "-wp-session", session]
    entries = os.path.join(session, "cache")
    if not os.path.isdir(entries):
        return ["-wp-cache", "none"]   # a new file: nothing to replay yet
    return ["-wp-cache", "replay", "-wp-cache-dir", entries]


def run_wp(path, flags, build, cache, mode):
    base = base_name(path)
    report = os.path.join(build, base + ".json")
    log = os.path.join(build, base + ".log")
    fcts = defined_functions(path)
    if os.path.exists(report):
        os.remove(report)
    cmd = (["frama-c"] + flags + cache_flags(path, cache, mode) +
           [path, "-wp-fct", ",".join(fcts), "-wp-report-json", report])
    t0 = time.monotonic()
    with open(log, "w", encoding="utf-8") as out:
        rc = subprocess.call(cmd, stdout=out, stderr=subprocess.STDOUT)
    result = {"path": path, "fcts": fcts, "log": log,
              "wall": time.monotonic() - t0, "report": None}
    result["goals"], result["cache"] = read_log(log)
    if rc == 0 and os.path.exists(report):
        with open(report, encoding="utf-8") as f:
            result["report"] = json.load(f)
    return result


def goal_weights(summary):
    """Goals per file in the previous summary: the biggest files start first."""
    weights = {}
    if summary and os.path.exists(summary):
        with open(summary, encoding="utf-8") as f:
            for line in f:
                m = re.match(r"^(\S+): \d+/(\d+)$", line.strip())
                if m:
                    weights[m.group(1)] = int(m.group(2))
    return weights


def run_all(files, flags, build, cache, mode, jobs, weights):
    # A file the previous summary does not know may be big: start it first.
    order = sorted(files, key=lambda p: (-weights.get(p, 1 << 30), p))
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(run_wp, p, flags, build, cache, mode) for p in order]
        results = [f.result() for f in futures]
    return {r["path"]: r for r in results}


# ---- the cache after a cleanup run --------------------------------------

def prune_cache(cache, files):
    """Keep only "valid" answers, and only for the files proved now."""
    dropped = 0
    wanted = {base_name(p) for p in files}
    for name in sorted(os.listdir(cache)):
        session = os.path.join(cache, name)
        if not os.path.isdir(session):
            continue
        if name not in wanted:
            shutil.rmtree(session)
            print("prove-cache: removed %s (no longer proved)" % session)
            continue
        entries = os.path.join(session, "cache")
        for entry in sorted(os.listdir(entries)) if os.path.isdir(entries) else []:
            full = os.path.join(entries, entry)
            try:
                with open(full, encoding="utf-8") as f:
                    valid = json.load(f).get("verdict") == "valid"
            except (OSError, ValueError):
                valid = False
            if not valid:
                os.remove(full)
                dropped += 1
    return dropped


# ---- output -------------------------------------------------------------

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


def goal_table(results):
    """The per-file, per-function table (the summary's first part)."""
    lines, failed, grand = [], False, [0, 0]
    for path in sorted(results):
        r = results[path]
        if r["report"] is None:
            print("prove: frama-c failed on %s (see %s)" % (path, r["log"]))
            lines.append("%s: FRAMA-C FAILED" % path)
            failed = True
            continue
        rows = per_function(r["report"], r["fcts"])
        valid = sum(v for v, _ in rows.values())
        total = sum(t for _, t in rows.values())
        if (valid, total) != counts(r["report"].get("wp:global", {})):
            print("prove: %s: per-function counts do not add up to WP's total" % path)
            failed = True
        grand[0] += valid
        grand[1] += total
        lines.append("%s: %d/%d" % (path, valid, total))
        for fct in sorted(rows):
            v, t = rows[fct]
            mark = "" if v == t else "   <-- UNPROVED"
            lines.append(("  %-32s %5d/%-5d%s" % (fct, v, t, mark)).rstrip())
            if v != t:
                failed = True
        lines.append("")
    lines.append("total: %d/%d goals proved" % (grand[0], grand[1]))
    return lines, failed


def time_table(results):
    """Provers' time per file and the slowest goals, as recorded with each
    answer: the same on every run that replays them from the cache."""
    width = max(len(p) for p in results)
    lines = ["",
             "# Prover time: seconds the SMT provers took on the file's goals when",
             "# each was proved (a goal answered from proofs/wp-cache keeps its time).",
             "# Goals Qed closes alone cost no prover time."]
    every = []
    for path in sorted(results):
        goals = results[path]["goals"]
        every += [(t, path, g, p) for t, g, p in goals]
        lines.append("time %-*s %8.1f s  %5d prover goals"
                     % (width, path, sum(t for t, _, _ in goals), len(goals)))
    lines.append("time %-*s %8.1f s" % (width, "total", sum(e[0] for e in every)))
    lines += ["", "# The %d slowest goals." % SLOWEST]
    for t, path, goal, prover in sorted(every, key=lambda e: (-e[0], e[1], e[2]))[:SLOWEST]:
        lines.append("slow %6.1f s  %s  %s  (%s)" % (t, path, goal, prover))
    return lines


def run_table(results):
    """This run's wall time per file and what the cache answered (stdout only)."""
    width = max(len(p) for p in results)
    lines = ["prove: wall time per file (this run), prover answers replayed from the"
             " cache / computed now:"]
    for path in sorted(results):
        r = results[path]
        found = r["cache"].get("found", 0)
        computed = r["cache"].get("updated", 0) + r["cache"].get("missed", 0)
        lines.append("  %-*s %7.1f s  %5d cached  %5d proved now"
                     % (width, path, r["wall"], found, computed))
    return lines


def parse_args(argv):
    if "--" not in argv:
        sys.exit("usage: wp-summary.py --build DIR --summary FILE [--jobs N] [--weights FILE] "
                 "[--cache DIR --cache-mode replay|cleanup] SRC... -- FLAGS")
    sep = argv.index("--")
    args, flags = argv[:sep], argv[sep + 1:]
    opts = {"build": None, "summary": None, "jobs": "1", "cache": None,
            "cache-mode": "replay", "weights": None}
    files = []
    i = 0
    while i < len(args):
        if args[i].startswith("--") and args[i][2:] in opts:
            opts[args[i][2:]], i = args[i + 1], i + 2
        else:
            files.append(args[i])
            i += 1
    if opts["cache-mode"] not in ("replay", "cleanup"):
        sys.exit("wp-summary.py: --cache-mode is replay or cleanup")
    return opts, sorted(set(files)), flags


def main(argv):
    opts, files, flags = parse_args(argv)
    build, summary, cache = opts["build"], opts["summary"], opts["cache"]
    mode = opts["cache-mode"]
    jobs = max(1, int(opts["jobs"]))
    os.makedirs(build, exist_ok=True)
    if cache is not None:
        os.makedirs(cache, exist_ok=True)

    start = time.monotonic()
    weights = goal_weights(opts["weights"] or summary)
    results = run_all(files, flags, build, cache, mode, jobs, weights)

    goals, failed = goal_table(results)
    times = time_table(results)
    print("\n".join(goals))
    print("\n".join(run_table(results)))
    print("prove: %d files, %d at a time, %.0f s" % (len(files), jobs,
                                                    time.monotonic() - start))
    with open(os.path.join(build, "timing.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(run_table(results) + times) + "\n")

    if cache is not None and mode == "cleanup":
        dropped = prune_cache(cache, files)
        entries = sum(len(fs) for _, _, fs in os.walk(cache))
        print("prove-cache: %d entries in %s (%d answers that were not valid dropped)"
              % (entries, cache, dropped))

    lines = ["# Frama-C WP: goals proved / goals, per file and per function.",
             "# Written by `make prove` (proofs/prove.mk); see proofs/README.md.",
             ""] + goals + times
    with open(summary, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    if failed:
        print("prove: FAILED (unproved goals above; logs in %s)" % build)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
