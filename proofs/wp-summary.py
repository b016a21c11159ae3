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
(proofs/README.md, "The proof cache"). A file is first run from the cache
alone (`-wp-cache offline`: no prover starts, so the result cannot depend
on which prover answers first). If some goal has no answer there, the file
runs again with the provers, in the cache mode given:
  replay   answers still come from the cache where they are, the provers
           do the rest, nothing is written (`make prove`)
  cleanup  the same, recording every new answer and deleting the entries
           this run did not use (Frama-C's cleanup); then only "valid"
           answers are kept, and the file runs once more from the cache
           alone, which must prove every goal. A file the cache proves at
           the first run loses the entries that run did not look up. At the
           end the caches of files no longer proved are deleted
           (`make prove-cache`)
Without --cache every goal goes to the provers (`make prove-cold`).

Prints goals proved per file and per function, then the time per file,
writes the same table to the summary file (sorted, no paths outside the
repository) followed by the provers' time per file and the slowest goals,
and exits non-zero when Frama-C fails or any goal is not proved.
"""

import concurrent.futures
import hashlib
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

def entries_dir(cache, path):
    return os.path.join(cache, base_name(path), "cache")


def frama_c(path, fcts, flags, cache_opts, report, log):
    """One Frama-C run over `path`: its log, JSON report and goal lines."""
    if os.path.exists(report):
        os.remove(report)
    if "-wp-out" in cache_opts:
        shutil.rmtree(cache_opts[cache_opts.index("-wp-out") + 1], ignore_errors=True)
    cmd = (["frama-c"] + flags + cache_opts +
           [path, "-wp-fct", ",".join(fcts), "-wp-report-json", report])
    with open(log, "w", encoding="utf-8") as out:
        rc = subprocess.call(cmd, stdout=out, stderr=subprocess.STDOUT)
    run = {"report": None, "log": log}
    run["goals"], run["cache"] = read_log(log)
    if rc == 0 and os.path.exists(report):
        with open(report, encoding="utf-8") as f:
            run["report"] = json.load(f)
    return run


def complete(run):
    """Frama-C ran and proved every goal."""
    if run["report"] is None:
        return False
    valid, total = counts(run["report"].get("wp:global", {}))
    return valid == total


# Offline runs start no prover: -wp-par only says how many goals Frama-C
# looks up at once, and more hide its scheduler's polling (measured: 227 s
# -> 152 s for elf_image.c). The proofs themselves keep PROVE_FLAGS' value.
OFFLINE_PAR = "16"

# The answers recorded by a run with the provers must prove the file from
# the cache alone. Once (1 answer in 2,268, a goal CVC4 proved in 3 s) an
# answer the log showed was not in the cache afterwards; such a goal is
# proved and recorded again, at most this many times in all.
RECORD_ROUNDS = 3


def offline_opts(entries, out=None):
    opts = ["-wp-cache", "offline", "-wp-cache-dir", entries, "-wp-par", OFFLINE_PAR]
    return opts + (["-wp-out", out] if out else [])


def task_digests(out):
    """Names of the cache entries a run looked up: Frama-C names an entry by
    the MD5 of the task file it writes to -wp-out (one per goal and prover)."""
    names = set()
    for folder, _, files in os.walk(out):
        for name in files:
            with open(os.path.join(folder, name), "rb") as f:
                names.add(hashlib.md5(f.read()).hexdigest())
    return names


def collect_garbage(run, entries, out):
    """After a run from the cache alone proved every goal: delete the entries
    it did not look up. Guard: every answer it found must be among the kept
    ones, or the naming is not what this script expects and nothing goes."""
    used = task_digests(out)
    shutil.rmtree(out, ignore_errors=True)
    names = {n[:-5] for n in os.listdir(entries) if n.endswith(".json")}
    if len(names & used) < run["cache"].get("found", 0):
        print("prove-cache: %s: cache entries not named as expected, none deleted" % entries)
        return 0
    for name in sorted(names - used):
        os.remove(os.path.join(entries, name + ".json"))
    return len(names - used)


def run_wp(path, flags, build, cache, mode):
    """Prove one file; see the module comment for the cache phases."""
    base = os.path.join(build, base_name(path))
    report, fcts, log = base + ".json", defined_functions(path), base + ".log"
    cache_log = base + ".cache.log"
    t0 = time.monotonic()
    entries = entries_dir(cache, path) if cache is not None else None
    out = base + ".tasks" if mode == "cleanup" else None
    run, source, now, dropped = None, "provers", 0, 0
    # 1. From the cache alone: no prover runs, so nothing depends on timing.
    if entries is not None and os.path.isdir(entries):
        run = frama_c(path, fcts, flags, offline_opts(entries, out), report, cache_log)
        source = "cache"
        if out and complete(run):
            dropped = collect_garbage(run, entries, out)
    # 2. Some goal has no answer in the cache: the provers run.
    if run is None or not complete(run):
        if cache is None:
            opts = ["-wp-cache", "none"]
        elif mode == "cleanup":
            # Frama-C's garbage collection works on a session's cache only.
            opts = ["-wp-cache", "cleanup", "-wp-session",
                    os.path.join(cache, base_name(path))]
        elif os.path.isdir(entries):
            opts = ["-wp-cache", "replay", "-wp-cache-dir", entries]
        else:
            opts = ["-wp-cache", "none"]   # a new file: nothing to replay
        for _ in range(RECORD_ROUNDS if mode == "cleanup" else 1):
            run, source = frama_c(path, fcts, flags, opts, report, log), "provers"
            tally = run["cache"]
            now += (tally.get("updated", 0) + tally.get("missed", 0)
                    if opts[1] != "none" else len(run["goals"]))
            if mode != "cleanup" or not complete(run):
                break
            # 3. After recording: the cache alone must now prove the file,
            #    and the summary comes from exactly the answers kept.
            dropped += prune_entries(entries)
            run = frama_c(path, fcts, flags, offline_opts(entries), report,
                          base + ".recorded.log")
            source = "recorded"
            if complete(run):
                break
            print("prove-cache: %s: some goals have no valid answer kept (see %s); "
                  "proving them again" % (path, run["log"]))
    if out:
        shutil.rmtree(out, ignore_errors=True)
    run.update(path=path, fcts=fcts, source=source, now=now, dropped=dropped,
               wall=time.monotonic() - t0)
    return run


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

def prune_entries(entries):
    """Drop every answer that is not "valid" (a timeout on a busy machine
    must not stick); returns how many."""
    dropped = 0
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


def prune_cache(cache, files):
    """Only valid answers, and only for the files proved now."""
    wanted = {base_name(p) for p in files}
    dropped = 0
    for name in sorted(os.listdir(cache)):
        session = os.path.join(cache, name)
        if not os.path.isdir(session):
            continue
        if name not in wanted:
            shutil.rmtree(session)
            print("prove-cache: removed %s (no longer proved)" % session)
        else:
            dropped += prune_entries(os.path.join(session, "cache"))
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
    """This run's wall time per file and where its answers came from
    (output and timing.txt only: it changes from run to run)."""
    width = max(len(p) for p in results)
    what = {"cache": "every prover answer from the cache",
            "provers": "provers ran: %d answers computed now",
            "recorded": "provers ran: %d answers computed now and recorded"}
    lines = ["prove: wall time per file (this run):"]
    for path in sorted(results):
        r = results[path]
        text = what[r["source"]]
        lines.append("  %-*s %7.1f s  %s" % (width, path, r["wall"],
                                            text % r["now"] if "%" in text else text))
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
        dropped = prune_cache(cache, files) + sum(r["dropped"] for r in results.values())
        entries = sum(len(fs) for _, _, fs in os.walk(cache))
        print("prove-cache: %d entries in %s (%d unused or not valid deleted)"
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
