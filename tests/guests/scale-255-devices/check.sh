#!/usr/bin/env bash
# scale-255-devices: all 255 guests served, all 765 devices connected, and
# every guest has its xenstore connection. The guest refused for the
# grant-map budget (DEV-34) left nothing behind: the `mem` lines before
# and after its create are the same.
log=$1
served=$(grep -acE '^\[g[0-9]+\] devidle: vbd served \(0\), vif served \(0\)' "$log")
vbd=$(grep -acE '^[0-9]+ +g[0-9]+ +vbd +connected' "$log")
vif=$(grep -acE '^[0-9]+ +g[0-9]+ +vif +connected' "$log")
cons=$(grep -acE '^[0-9]+ +g[0-9]+ +console +ok' "$log")
store=$(grep -acE '^[0-9]+ +g[0-9]+ +xenstore +connected' "$log")
echo "served: $served, connected: $vbd vbd, $vif vif, $cons consoles, $store stores"
[ "$served" -eq 255 ] && [ "$vbd" -eq 255 ] && [ "$vif" -eq 255 ] && [ "$cons" -eq 255 ] &&
    [ "$store" -eq 255 ] || exit 1
before=$(grep -aE '^(free [0-9]+ KiB|xenstore: [0-9]+ nodes)' "$log" | tail -n 4 | head -n 2)
after=$(grep -aE '^(free [0-9]+ KiB|xenstore: [0-9]+ nodes)' "$log" | tail -n 2)
[ "$before" = "$after" ] || { echo "refused create leaked: before '$before' after '$after'"; exit 1; }
echo "refused create left nothing: $after"
