#!/usr/bin/env bash
# The smoke scenario's numeric checks: fuzz/qemu/check.sh with a floor of
# 1500 hostile hypercalls.
exec fuzz/qemu/check.sh "$1" 1500
