#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# host_install_*, host_kdir_*, host_dkms_*: the stack installs where
# modprobe finds it and builds against a kernel tree named by the user.
# Run by scripts/check in the background while the guests boot; prints
# TAP (with each build's time as a comment).
#
#  host_install_modules_dep: scripts/install x86_64-6.12 into a scratch
#	root gives a modules.dep in which liommu_intel depends on
#	liommu_core (so 'modprobe liommu_intel' loads the core first).
#  host_kdir_<target>: scripts/build --kdir <that target's unpacked
#	headers> (what 'make modules KDIR=...' runs) builds every module,
#	into build/kdir-<release>: kbuild rebuilds what changed since the
#	last run, like any 'make modules' in a kept tree.
#  host_dkms_<target>: dkms add/build from a copy of the tree against the
#	unpacked headers (--kernelsourcedir), in scratch DKMS folders: a
#	whole build of what DKMS installs (liommu_core, liommu_intel) each
#	time.  x86_64-7.3's kbuild tools need Debian 13's C library: its
#	DKMS runs in the Debian 13 root (scripts/trixie-root; set-up
#	installs dkms there, and on the host).
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

# in_root ROOTFS CMD...: CMD in the Debian 13 root ROOTFS (a private mount
# namespace, as scripts/build does), with the scratch folder and the
# folders in BINDS bound at their own paths and /proc mounted.
in_root() {
	local rootfs=$1
	shift
	unshare --mount --propagation private -- /bin/sh -ec '
		r=$1 binds=$2
		shift 2
		for b in $binds; do
			mkdir -p "$r$b"
			mount --bind "$b" "$r$b"
		done
		mount -t proc proc "$r/proc"
		exec chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			LC_ALL=C.UTF-8 "$@"
	' in_root "$rootfs" "$SCRATCH ${BINDS[*]}" "$@"
}

# One build against each distinct tree: 'make modules KDIR=' (what
# scripts/build --kdir runs; into build/kdir-<release>, so an unchanged
# source tree rebuilds nothing, as kbuild decides file by file), then
# DKMS from a copy of the sources (dkms add + build, always from scratch
# in DKMS's own build folder; dkms.conf builds what it installs: the
# core and the vendor module).  7.x trees' kbuild tools need Debian 13's
# C library: scripts/build --kdir moves into the Debian 13 root by
# itself, and DKMS runs there (set-up installed it into the root).
for t in x86_64-6.12 x86_64-6.1 x86_64-7.3; do
	if ! kdir=$(target_kdir "$t" 2>/dev/null) || [ ! -d "$kdir" ]; then
		ok "host_kdir_$t" "$t is not set up (scripts/setup $t)"
		ok "host_dkms_$t" "$t is not set up (scripts/setup $t)"
		continue
	fi
	kdir=$(realpath -e "$kdir")
	rel=$(kdir_release "$kdir")
	t0=$(date +%s)
	if out=$("$ROOT/scripts/build" --kdir "$kdir" 2>&1) &&
	   [ -f "$BUILD/kdir-$rel/modules/intel/liommu_intel.ko" ]; then
		echo "# host_kdir_$t: $(($(date +%s) - t0))s"
		ok "host_kdir_$t"
	else
		nok "host_kdir_$t" "$(echo "$out" | tail -n 5 | tr '\n' ';')"
	fi

	t0=$(date +%s)
	d=$SCRATCH/dkms-$t
	mkdir -p "$d/src/liommu-0.1" "$d/tree"
	(cd "$ROOT" && tar -c Kbuild dkms.conf include core intel arm-smmu-v3) |
		tar -x -C "$d/src/liommu-0.1"
	dk=(dkms --dkmstree "$d/tree" --sourcetree "$d/src")
	BINDS=()
	if target_buildroot "$t"; then
		if ! rootfs=$("$ROOT/scripts/trixie-root" 2>/dev/null) ||
		   ! in_root "$rootfs" sh -c 'command -v dkms' > /dev/null 2>&1; then
			nok "host_dkms_$t" "no dkms in the Debian 13 root (scripts/setup $t installs it): $rootfs"
			continue
		fi
		BINDS=("$(realpath -e "$(target_sysroot "$t")")")
		dk=(in_root "$rootfs" "${dk[@]}")
	elif ! command -v dkms > /dev/null; then
		nok "host_dkms_$t" "no dkms on the host (scripts/setup installs it)"
		continue
	fi
	if out=$("${dk[@]}" add -m liommu -v 0.1 2>&1 &&
		 "${dk[@]}" build -m liommu -v 0.1 -k "$rel" \
			--kernelsourcedir "$kdir" 2>&1) &&
	   "${dk[@]}" status -m liommu -v 0.1 -k "$rel" | grep -q ': built' &&
	   ls "$d/tree/liommu/0.1/$rel/"*/module/liommu_intel.ko* > /dev/null 2>&1; then
		echo "# host_dkms_$t: $(($(date +%s) - t0))s"
		ok "host_dkms_$t"
	else
		out="$out
$(cat "$d/tree/liommu/0.1/build/make.log" 2>/dev/null | tail -n 5)"
		nok "host_dkms_$t" "$(echo "$out" | tail -n 8 | tr '\n' ';')"
	fi
done

echo "1..$N"
