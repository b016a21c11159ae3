#!/usr/bin/env bash
# Each spinner's share must be within 5% (relative) of weight / sum of the
# spinners' weights; the blocked guest's share must stay under 0.5%.
log=$1
awk '$1 == "share" {
        w = $5; sub(":", "", w); p = $6; sub("%", "", p);
        if ($3 == "sleeper") { sleeper = p; seen = 1; next }
        weight[++n] = w; share[n] = p; sum += w
     }
     END {
        if (n != 3 || !seen) { print "expected 3 spinner lines and the sleeper, got " n; exit 1 }
        bad = 0
        for (i = 1; i <= n; i++) {
            want = 100 * weight[i] / sum
            dev = (share[i] - want) / want; if (dev < 0) dev = -dev
            printf "weight %d: share %.1f%%, expected %.1f%% (%.1f%% off)\n", weight[i], share[i], want, 100 * dev
            if (dev > 0.05) bad = 1
        }
        printf "blocked guest: share %.1f%%\n", sleeper
        if (sleeper >= 0.5) bad = 1
        exit bad
     }' "$log"
