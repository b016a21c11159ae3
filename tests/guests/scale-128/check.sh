#!/usr/bin/env bash
# Every one of the 128 guests said it was alive and is listed as blocked.
log=$1
alive=$(grep -acE '^\[g[0-9]+\] alive:' "$log")
blocked=$(grep -acE '^[0-9]+ +g[0-9]+ +blocked' "$log")
echo "alive: $alive, blocked in the list: $blocked"
[ "$alive" -eq 128 ] && [ "$blocked" -eq 128 ]
