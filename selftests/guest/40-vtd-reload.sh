#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# guest_vtd_*: with liommu_intel.ko holding the VT-d unit, translation is
# on and the virtio-rng device (whose DMA the unit translates) still reads
# through its pass-through context entry; unloading gives the unit back
# with translation and queued invalidation off, the device still works,
# and the unit can be taken again: in the mode the profile states
# (legacy or scalable), with the same paging-domain format (first or
# second stage), the same unit line in the core's debugfs (aperture of
# its paging domains, output width) and every device it translated
# before back on it (not on a test mock).  Prints TAP.

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
stated() {
	for kv in $EXPECT; do
		case $kv in "$1"=*) echo "${kv#*=}" ;; esac
	done
}
D=/sys/kernel/debug/liommu
unit_line() { grep '^vtd0 ' $D/units; }
# The devices of vtd0, by name (their groups and domains may differ).
vtd_devices() { grep ' unit=vtd0 ' $D/devices | cut -d' ' -f1 | sort; }
# What the profile states: the mode, and the format of paging domains
# (scalable mode without second stage has first-stage domains).
mode=legacy
format=second-stage
if [ "$(stated scalable)" = 1 ]; then
	mode=scalable
	[ "$(stated second_stage)" = 0 ] && format=first-stage
fi

# The rng reads while the unit translates.  (Earlier tests clear the
# kernel log, so the proof that translation was on is the unload line
# below: the driver prints it only for a unit it had enabled.)
check guest_vtd_rng_translated rng_reads
unit_before=$(unit_line)
devices_before=$(vtd_devices)
edu_before=$(echo "$devices_before" | grep -c .)
has_devices() { [ "$edu_before" -gt 0 ]; }
check guest_vtd_devices_before_unload has_devices

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
check guest_vtd_reload_mode log_has "unit 0: translation on, $mode mode, $format paging domains"
same_unit() {
	now=$(unit_line)
	[ -n "$now" ] && [ "$now" = "$unit_before" ] ||
		{ echo "# before: $unit_before"; echo "# after:  $now"; return 1; }
}
check guest_vtd_reload_same_unit_line same_unit
# The aperture of the unit's paging domains follows the format: 47 bits
# (canonical lower half of 4-level paging) for first stage, MGAW else.
aperture() {
	if [ $format = first-stage ]; then
		want=0x7fffffffffff
	else
		mgaw=$(stated mgaw)
		[ -n "$mgaw" ] || return 1
		want=$(printf '%#x' $(( (1 << mgaw) - 1 )))
	fi
	unit_line | grep -q " aperture=0x0-$want " ||
		{ echo "# want aperture 0x0-$want: $(unit_line)"; return 1; }
}
check guest_vtd_reload_aperture aperture
same_devices() {
	now=$(vtd_devices)
	[ "$now" = "$devices_before" ] ||
		{ echo "# before: $(echo $devices_before)"; echo "# after: $(echo $now)";
		  echo "# $(grep -v ' unit=vtd0 ' $D/devices | tr '\n' ';')"; return 1; }
}
check guest_vtd_reload_same_devices same_devices
# Every edu the profile states is the unit's (a test mock must not hold
# one: its paging domains would have the mock's format and aperture).
edu_on_unit() {
	edus=$(stated edu | tr ',' ' ')
	[ -n "$edus" ] || { echo "# the profile states no edu"; return 1; }
	for bdf in $edus; do
		grep -q "^0000:$bdf unit=vtd0 " $D/devices ||
			{ echo "# $(grep "^0000:$bdf " $D/devices)"; return 1; }
	done
}
check guest_vtd_reload_edu_on_unit edu_on_unit
check guest_vtd_rng_after_reload rng_reads

echo "1..$N"
