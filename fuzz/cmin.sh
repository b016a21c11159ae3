#!/usr/bin/env bash
# `make fuzz-cmin QUEUE=dir`: the inputs of an AFL++ queue that reach
# hv/core edges the committed corpus does not, a few at a time, into
# fuzz/corpus/afl/. The edges are those of a harness instrumented in
# hv/core only (harness code has edges of its own that say nothing about
# the core). afl-cmin -e first keeps one input per edge; then a greedy
# cover over what the corpus lacks picks the inputs, most new edges first,
# at most MAX of them (the tail adds one edge per input).
#   cmin.sh BUILD QUEUE CORE_HARNESS MAX
set -eu
cd "$(dirname "$0")/.."
BUILD=$1 queue=$2 harness=$3 max=$4
w=$BUILD/fuzz/cmin
rm -rf "$w" && mkdir -p "$w/in" "$w/corpus"
find "$queue" -maxdepth 1 -type f ! -name '.*' -exec cp {} "$w/in/" \;
cp fuzz/corpus/*.bin fuzz/findings/*.bin "$w/corpus/"
shopt -s nullglob
for f in fuzz/corpus/afl/*; do cp "$f" "$w/corpus/"; done
export AFL_NO_AFFINITY=1
afl-cmin -e -i "$w/in" -o "$w/min" -- "$harness" >"$w/cmin.log" 2>&1 ||
    { tail -5 "$w/cmin.log"; exit 1; }
afl-showmap -q -i "$w/corpus" -o "$w/map-corpus" -- "$harness" >/dev/null 2>&1 || true
afl-showmap -q -i "$w/min" -o "$w/map-min" -- "$harness" >/dev/null 2>&1 || true
python3 - "$w" "$max" <<'PY'
import os, sys
w, most = sys.argv[1], int(sys.argv[2])
def edges(d, f):
    return {l.split(':')[0] for l in open(os.path.join(w, d, f)) if l.strip()}
have = set()
for f in os.listdir(os.path.join(w, 'map-corpus')):
    have |= edges('map-corpus', f)
new = {f: edges('map-min', f) - have for f in os.listdir(os.path.join(w, 'map-min'))}
need = set().union(set(), *new.values())
total, picked = len(need), []
while need and len(picked) < most:
    f = max(sorted(new), key=lambda k: (len(new[k] & need), -os.path.getsize(os.path.join(w, 'min', k))))
    picked.append(f)
    need -= new[f]
with open(os.path.join(w, 'picked'), 'w') as out:
    out.write(''.join(p + '\n' for p in picked))
print('fuzz-cmin: the corpus reaches %d hv/core edges; the queue adds %d, %d of them with '
      'the %d inputs taken' % (len(have), total, total - len(need), len(picked)))
PY
mkdir -p fuzz/corpus/afl
n=$(ls fuzz/corpus/afl | wc -l)
while read -r f; do
    cp "$w/min/$f" "fuzz/corpus/afl/$(printf '%04d' "$n").bin"
    n=$((n + 1))
done < "$w/picked"
echo "fuzz-cmin: fuzz/corpus/afl/ holds $n inputs"
