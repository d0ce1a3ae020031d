# SPDX-License-Identifier: GPL-2.0
# Shared helpers for scripts/: targets, where their kernels are unpacked.
# Sourced, never run.  Needs ROOT and BUILD set by the caller.

# Every target the harness knows, in the order 'make check' runs them.
liommu_targets() {
	echo "x86_64-6.12 x86_64-6.1 arm64-6.12 x86_64-7.3 arm64-7.3 x86_64-6.12-debug"
}

# target_debug TARGET: true for the debug kernel's target, which is no
# Debian package but a kernel built by scripts/debug-kernel: build/sys/
# TARGET links to its cache folder (bzImage, the build tree as KDIR, the
# installed modules, RELEASE).
target_debug() {
	case $1 in
	*-debug) return 0 ;;
	*) return 1 ;;
	esac
}

# target_buildroot TARGET: true if TARGET's kbuild tools need a Debian 13
# root to run in (scripts/trixie-root; scripts/build runs make there).
target_buildroot() {
	case $1 in
	*-7.*) return 0 ;;
	*) return 1 ;;
	esac
}

# target_arch TARGET: the kernel's ARCH.
target_arch() {
	case $1 in
	x86_64-*) echo x86_64 ;;
	arm64-*) echo arm64 ;;
	*) return 1 ;;
	esac
}

# target_release TARGET: uname -r of the target's kernel, from setup's record.
target_release() {
	local kver
	if target_debug "$1"; then
		cat "$BUILD/sys/$1/RELEASE" 2>/dev/null
		return
	fi
	kver=$(cat "$BUILD/sys/$1/KVER" 2>/dev/null) || return 1
	case $1 in
	x86_64-*) echo "$kver-amd64" ;;
	arm64-*) echo "$kver-arm64" ;;
	esac
}

target_sysroot() {
	if target_debug "$1"; then
		echo "$BUILD/sys/$1"
		return
	fi
	echo "$BUILD/sys/$1/$(cat "$BUILD/sys/$1/KVER")"
}

target_kdir() {
	if target_debug "$1"; then
		[ -f "$BUILD/sys/$1/DONE" ] || return 1
		echo "$BUILD/sys/$1/build"
		return
	fi
	echo "$(target_sysroot "$1")/usr/src/linux-headers-$(target_release "$1")"
}

# From 7.x Debian ships the kernel as lib/modules/<release>/vmlinuz.unsigned
# (linux-binary-unsigned-*), before that as boot/vmlinuz-<release>.
target_kernel_image() {
	local img
	if target_debug "$1"; then
		echo "$BUILD/sys/$1/bzImage"
		return
	fi
	img="$(target_moddir "$1")/vmlinuz.unsigned"
	[ -f "$img" ] || img="$(target_sysroot "$1")/boot/vmlinuz-$(target_release "$1")"
	echo "$img"
}

target_moddir() {
	if target_debug "$1"; then
		echo "$BUILD/sys/$1/mods/lib/modules/$(target_release "$1")"
		return
	fi
	echo "$(target_sysroot "$1")/lib/modules/$(target_release "$1")"
}

# kdir_release DIR: uname -r of the kernel of a prepared build tree DIR,
# from its generated utsrelease.h (Debian's 6.1 headers say "6.1.192" in
# include/config/kernel.release, but the kernel reports "6.1.0-N-amd64").
kdir_release() {
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
		"$1/include/generated/utsrelease.h" 2>/dev/null | grep .
}
