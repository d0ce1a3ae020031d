#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# guest_*: what the running guest shows from userspace, on every profile:
# the kernel's own IOMMU driver is off, the stack holds its registers,
# and the virtio-rng device's DMA (which goes through the IOMMU) works.
# Prints TAP.

. /etc/liommu.conf
N=0
ok() { N=$((N + 1)); echo "ok $N $1${2:+ # SKIP $2}"; }
nok() { N=$((N + 1)); echo "# $1: $2"; echo "not ok $N $1"; }
check() { name=$1; shift; if "$@"; then ok "$name"; else nok "$name" "failed: $*"; fi; }

echo "TAP version 13"

# The kernel's own IOMMU driver registered nothing.
no_kernel_iommu() { [ -z "$(ls /sys/class/iommu 2>/dev/null)" ]; }
check guest_kernel_iommu_off no_kernel_iommu

# The stack's hardware driver holds its unit's registers.
regs_claimed() { grep -q 'liommu-' /proc/iomem; }
if [ -n "$STACK" ]; then
	check guest_registers_claimed regs_claimed
else
	ok guest_registers_claimed "no hardware driver in this profile's stack yet"
fi

# virtio-rng is a modern device that negotiated VIRTIO_F_ACCESS_PLATFORM
# (feature bit 33), i.e. its DMA goes through the IOMMU.
rng_platform() {
	for d in /sys/bus/virtio/devices/*; do
		[ "$(cat "$d/device" 2>/dev/null)" = 0x0004 ] || continue
		[ "$(cut -c34 "$d/features")" = 1 ] && return 0
	done
	return 1
}
check guest_rng_access_platform rng_platform

# ... and that its DMA works now: 1 KiB of random bytes arrive.  (A short
# read proves nothing: virtio-rng and the hwrng core keep a few bytes that
# the device wrote before the stack loaded.)
rng_reads() {
	[ "$(timeout 20 dd if=/dev/hwrng bs=64 count=16 2>/dev/null | wc -c)" -eq 1024 ]
}
check guest_rng_dma_works rng_reads

echo "1..$N"
