#!/usr/bin/env bash
# Static analysis over all C: the Clang static analyzer and cppcheck, each
# with zero findings allowed. Prints "PASS lint-<tool>" or "FAIL ...".
# A suppression is allowed only inline (cppcheck-suppress) with a comment
# saying why the finding is a false positive.
set -u
cd "$(dirname "$0")/.."
out=${1:-build/lint}
mkdir -p "$out"

HV_INC="-Ihv/include -Ihv/core -Ihv/lib -Ihv/arch/x86_32/include -Iguest-abi/include"
GUEST_INC="-Iguest-abi/include -Iguest-abi/lib -Ihv/lib -Ihv/core -Idom0 -Itests/guests/common -Itests/bench/guest -Ifuzz -Ifuzz/qemu"
HOSTED_INC="-Ihv/core -Iguest-abi/include -Iguest-abi/lib -Idom0 -Itests/hosted -Itests/unit -Ifuzz -Ifuzz/qemu"

hv_files=$(ls hv/*.c hv/arch/x86_32/*.c hv/core/*.c hv/lib/*.c)
guest_files=$(ls guest-abi/lib/*.c dom0/*.c tests/guests/*/*.c tests/bench/guest/*.c \
    fuzz/qemu/hostile.c fuzz/qemu/victim.c fuzz/qemu/gen.c 2>/dev/null)
hosted_files=$(ls tests/unit/*.c tests/hosted/*.c fuzz/*.c fuzz/qemu/progtool.c 2>/dev/null)

# One analyzer run per file, LINT_JOBS at a time; each writes its own
# report and the reports are joined in file order, so the result does not
# depend on which run finishes first.
jobs=${LINT_JOBS:-$(nproc 2>/dev/null || echo 2)}
rm -rf "$out/clang" && mkdir -p "$out/clang"
analyze_list() {
    local flags=$1; shift
    local f
    for f in "$@"; do
        printf '%s\t%s\t%s\n' "$flags" "$f" "$out/clang/$(echo "$f" | tr / _).txt"
    done
}
{
    analyze_list "-m32 -ffreestanding $HV_INC" $hv_files
    analyze_list "-m32 -ffreestanding $GUEST_INC" $guest_files
    analyze_list "-D_DEFAULT_SOURCE $HOSTED_INC" $hosted_files
} > "$out/clang/jobs.txt"
# shellcheck disable=SC2016
tr '\n' '\0' < "$out/clang/jobs.txt" | xargs -0 -P "$jobs" -n 1 bash -c '
    IFS=$(printf "\t") read -r flags f report <<< "$1"
    clang --analyze -Xclang -analyzer-output=text -std=c11 $flags "$f" -o /dev/null > "$report" 2>&1
' lint-clang
cut -f3 "$out/clang/jobs.txt" | xargs cat > "$out/clang-analyzer.txt"
if grep -q 'warning:\|error:' "$out/clang-analyzer.txt"; then
    grep 'warning:\|error:' "$out/clang-analyzer.txt" | head -20
    echo "FAIL lint-clang-analyzer: findings in $out/clang-analyzer.txt"
else
    echo "PASS lint-clang-analyzer"
fi

# -j runs files in parallel; the build folder keeps cppcheck's whole-program
# (cross-file) analysis on, which -j alone would turn off. Fresh every run.
cppcheck_run() {
    local dir="$out/cppcheck-$1"; shift
    rm -rf "$dir" && mkdir -p "$dir"
    # shellcheck disable=SC2086
    cppcheck -q -j "$jobs" --cppcheck-build-dir="$dir" --platform="$1" --std=c11 \
        --enable=warning,style,performance,portability \
        --inline-suppr --error-exitcode=1 --suppress=missingIncludeSystem \
        --suppress=unusedStructMember --suppress=unmatchedSuppression $2 "${@:3}"
}
{
    cppcheck_run hv unix32 "$HV_INC -D__i386__" $hv_files;
    cppcheck_run guest unix32 "$GUEST_INC -D__i386__" $guest_files;
    cppcheck_run hosted unix64 "$HOSTED_INC" $hosted_files
} > "$out/cppcheck.txt" 2>&1
if [ -s "$out/cppcheck.txt" ]; then
    head -20 "$out/cppcheck.txt"
    echo "FAIL lint-cppcheck: findings in $out/cppcheck.txt"
else
    echo "PASS lint-cppcheck"
fi
