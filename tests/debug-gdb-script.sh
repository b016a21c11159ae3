#!/usr/bin/env bash
# Print the gdb commands that attach to `make debug`'s QEMU: the
# hypervisor's symbols, dom0's, and the remote target.
#   tests/debug-gdb-script.sh <build dir> <host:port>
BUILD=$1 target=$2
cat <<GDB
set architecture i386
set confirm off
file $BUILD/bulkhead.elf
add-symbol-file $BUILD/dom0.elf
target remote $target
echo \\nBulkhead: connected. Use hbreak (hardware breakpoints): the hypervisor runs\\n
echo with paging on, so a software breakpoint set now would be lost. Example:\\n
echo   hbreak do_xen_version     then   continue\\n
GDB
