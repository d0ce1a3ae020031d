#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# guest_vtd_*: with liommu_intel.ko holding the VT-d unit, translation is
# on and the virtio-rng device (whose DMA the unit translates) still reads
# through its pass-through context entry; unloading gives the unit back
# with translation and queued invalidation off, the device still works,
# and the unit can be taken again.  Prints TAP.

. /etc/liommu.conf
N=0
ok() { N=$((N + 1)); echo "ok $N $1${2:+ # SKIP $2}"; }
nok() { N=$((N + 1)); echo "# $1: $2"; echo "not ok $N $1"; }
check() { name=$1; shift; if "$@"; then ok "$name"; else nok "$name" "failed: $*"; fi; }

echo "TAP version 13"
case " $STACK " in
*" liommu_intel "*) ;;
*)
	ok guest_vtd_reload "no VT-d driver in this profile's stack"
	echo "1..$N"
	exit 0
	;;
esac

KO=/lib/liommu/liommu_intel.ko
# More than virtio-rng's own buffer (filled at probe, before we load),
# so that the device must DMA for these bytes now.
rng_reads() {
	[ "$(timeout 10 head -c 512 /dev/hwrng 2>/dev/null | wc -c)" -eq 512 ]
}
loaded() { grep -q '^liommu_intel ' /proc/modules; }
log_has() { dmesg | grep -q "liommu-vtd: $1"; }

# The rng reads while the unit translates.  (Earlier tests clear the
# kernel log, so the proof that translation was on is the unload line
# below: the driver prints it only for a unit it had enabled.)
check guest_vtd_rng_translated rng_reads

dmesg -c > /dev/null
if rmmod liommu_intel 2>/dev/null; then ok guest_vtd_unload; else nok guest_vtd_unload "rmmod failed"; fi
check guest_vtd_unload_te_off log_has "unit 0: translation off, GSTS 0x[04]0*, tables freed"
check guest_vtd_rng_after_unload rng_reads

dmesg -c > /dev/null
insmod $KO 2>/dev/null
check guest_vtd_reload loaded
not_refused() { ! log_has "someone else drives"; }
check guest_vtd_reload_not_refused not_refused
check guest_vtd_reload_translation_on log_has "unit 0: translation on"
check guest_vtd_rng_after_reload rng_reads

echo "1..$N"
