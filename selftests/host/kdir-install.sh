#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# host_install_*, host_kdir_*, host_dkms_*: the stack installs where
# modprobe finds it and builds against a kernel tree named by the user.
# Run by scripts/check after the targets are built; prints TAP.
#
#  host_install_modules_dep: scripts/install x86_64-6.12 into a scratch
#	root gives a modules.dep in which liommu_intel depends on
#	liommu_core (so 'modprobe liommu_intel' loads the core first).
#  host_kdir_<target>: scripts/build --kdir <that target's unpacked
#	headers> (what 'make modules KDIR=...' runs) builds every module.
#  host_dkms_<target>: dkms add/build from a copy of the tree against the
#	unpacked headers (--kernelsourcedir), in scratch DKMS folders.
#
# The kdir and dkms cases each build the whole stack again (about a
# minute each here, six in all: well past the two minutes 'make check'
# can spare): they run with LIOMMU_CHECK_KDIR=1 and are skipped
# otherwise; setup then installs the host's dkms.  x86_64-7.3's kbuild
# tools need Debian 13's C library: scripts/build --kdir runs them in the
# Debian 13 root, DKMS is skipped there.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${LIOMMU_BUILD:-$ROOT/build}
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"

N=0
ok() { N=$((N + 1)); echo "ok $N $1${2:+ # SKIP $2}"; }
nok() { N=$((N + 1)); echo "# $1: $2"; echo "not ok $N $1"; }
SCRATCH=$(mktemp -d /tmp/liommu-host.XXXXXX)
trap 'rm -rf "$SCRATCH"' EXIT

echo "TAP version 13"

if out=$("$ROOT/scripts/install" x86_64-6.12 "$SCRATCH/root" 2>&1); then
	rel=$(target_release x86_64-6.12)
	dep=$SCRATCH/root/lib/modules/$rel/modules.dep
	if grep -q '^updates/liommu/liommu_intel\.ko: .*updates/liommu/liommu_core\.ko' "$dep"; then
		ok host_install_modules_dep
	else
		nok host_install_modules_dep "modules.dep: $(tr '\n' ';' < "$dep")"
	fi
else
	nok host_install_modules_dep "$(echo "$out" | tail -n 3 | tr '\n' ';')"
fi

for t in x86_64-6.12 x86_64-6.1; do
	kdir=$(target_kdir "$t")
	if [ "${LIOMMU_CHECK_KDIR:-0}" != 1 ]; then
		ok "host_kdir_$t" "set LIOMMU_CHECK_KDIR=1 (one more build)"
		ok "host_dkms_$t" "set LIOMMU_CHECK_KDIR=1 (one more build)"
		continue
	fi
	if out=$("$ROOT/scripts/build" --kdir "$kdir" 2>&1) &&
	   [ -f "$BUILD/kdir-$(kdir_release "$kdir")/modules/intel/liommu_intel.ko" ]; then
		ok "host_kdir_$t"
	else
		nok "host_kdir_$t" "$(echo "$out" | tail -n 5 | tr '\n' ';')"
	fi
	if ! command -v dkms > /dev/null; then
		ok "host_dkms_$t" "no dkms on the host (apt-get install dkms)"
		continue
	fi
	d=$SCRATCH/dkms-$t
	mkdir -p "$d/src/liommu-0.1" "$d/tree"
	(cd "$ROOT" && tar -c Kbuild dkms.conf include core intel arm-smmu-v3 \
		selftests/kmod selftests/mock iommufd-lite) | tar -x -C "$d/src/liommu-0.1"
	dk() { dkms --dkmstree "$d/tree" --sourcetree "$d/src" "$@"; }
	if out=$(dk add -m liommu -v 0.1 2>&1 &&
		 dk build -m liommu -v 0.1 -k "$(target_release "$t")" \
			--kernelsourcedir "$kdir" 2>&1) &&
	   dk status -m liommu -v 0.1 -k "$(target_release "$t")" | grep -q ': built'; then
		ok "host_dkms_$t"
	else
		nok "host_dkms_$t" "$(echo "$out" | tail -n 5 | tr '\n' ';')"
	fi
done
# 7.3: its headers' kbuild tools need Debian 13's C library, so
# scripts/build --kdir builds in the Debian 13 root by itself.
t=x86_64-7.3
if [ "${LIOMMU_CHECK_KDIR:-0}" != 1 ]; then
	ok "host_kdir_$t" "set LIOMMU_CHECK_KDIR=1 (one more build)"
elif ! kdir=$(target_kdir "$t") || [ ! -d "$kdir" ]; then
	ok "host_kdir_$t" "$t is not set up (scripts/setup $t)"
elif out=$("$ROOT/scripts/build" --kdir "$kdir" 2>&1) &&
     [ -f "$BUILD/kdir-$(kdir_release "$kdir")/modules/intel/liommu_intel.ko" ]; then
	ok "host_kdir_$t"
else
	nok "host_kdir_$t" "$(echo "$out" | tail -n 5 | tr '\n' ';')"
fi
# DKMS runs the kernel's own kbuild tools too: on the host they cannot
# run against 7.3's headers, and the root has no dkms.
ok "host_dkms_$t" "7.3's kbuild tools need Debian 13's C library; dkms would have to run in the Debian 13 root"

echo "1..$N"
