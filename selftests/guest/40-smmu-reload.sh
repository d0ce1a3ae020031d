#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# guest_smmu_*: on SMMUv3 profiles, the SMMU liommu_smmuv3 enabled lets
# virtio-rng's DMA through (its bypass STE); unloading the driver leaves
# CR0 and CR0ACK at 0 (read through /dev/mem once the registers are
# released) and the device still works (GBPA bypass); and the driver can
# take the SMMU again, which it refuses if anything was left on, and
# comes back as it was: the stages the profile states, stage-1 paging
# domains with the stated output width, the same unit line in the core's
# debugfs (aperture, output width) and every device it translated before
# back on it (not on a test mock).  Prints TAP.

. /etc/liommu.conf
N=0
ok() { N=$((N + 1)); echo "ok $N $1"; }
nok() { N=$((N + 1)); echo "# $1: $2"; echo "not ok $N $1"; }
check() { name=$1; shift; if "$@"; then ok "$name"; else nok "$name" "failed: $*"; fi; }

echo "TAP version 13"
case " $STACK " in
*" liommu_smmuv3 "*) ;;
*) echo "1..0 # SKIP no SMMUv3 driver in this profile's stack"; exit 0 ;;
esac
base=
for kv in $EXPECT; do
	case $kv in base=*) base=${kv#base=} ;; esac
done
stated() {
	for kv in $EXPECT; do
		case $kv in "$1"=*) echo "${kv#*=}" ;; esac
	done
}
yn() { [ "$(stated "$1")" = 1 ] && echo yes || echo no; }
D=/sys/kernel/debug/liommu
unit_line() { grep '^smmuv3 ' $D/units; }
smmu_devices() { grep ' unit=smmuv3 ' $D/devices | cut -d' ' -f1 | sort; }
unit_before=$(unit_line)
devices_before=$(smmu_devices)
has_devices() { [ -n "$unit_before" ] && [ -n "$devices_before" ]; }

rng_reads() {
	[ "$(timeout 10 dd if=/dev/hwrng bs=16 count=1 2>/dev/null | wc -c)" -eq 16 ]
}
smmu_on() { dmesg | grep -q 'liommu-smmuv3: SMMU 0: enabled'; }
check guest_smmu_enabled smmu_on
check guest_smmu_devices_before_unload has_devices
check guest_smmu_rng_reads_enabled rng_reads

unload_smmu() { rmmod liommu_smmuv3; }
check guest_smmu_unload unload_smmu
cr0_zero() {
	[ -n "$base" ] || return 1
	cr0=$(devmem $((base + 0x20)) 32) && cr0ack=$(devmem $((base + 0x24)) 32) || return 1
	echo "# CR0 $cr0 CR0ACK $cr0ack after unload"
	[ $((cr0)) -eq 0 ] && [ $((cr0ack)) -eq 0 ]
}
check guest_smmu_cr0_zero_after_unload cr0_zero
check guest_smmu_rng_reads_disabled rng_reads

dmesg -c > /dev/null
reload_smmu() {
	insmod /lib/liommu/liommu_smmuv3.ko && smmu_on
}
check guest_smmu_reload reload_smmu
registered_as_stated() {
	want="registered with the liommu core (stage 1 $(yn s1), stage 2 $(yn s2); stage-1 paging domains, $(stated oas)-bit output)"
	dmesg | grep -qF "liommu-smmuv3: SMMU 0: $want" ||
		{ echo "# want: $want"; dmesg | grep 'registered with' | sed 's/^/# /'; return 1; }
}
check guest_smmu_reload_mode registered_as_stated
same_unit() {
	now=$(unit_line)
	[ -n "$now" ] && [ "$now" = "$unit_before" ] ||
		{ echo "# before: $unit_before"; echo "# after:  $now"; return 1; }
}
check guest_smmu_reload_same_unit_line same_unit
same_devices() {
	now=$(smmu_devices)
	[ "$now" = "$devices_before" ] ||
		{ echo "# before: $(echo $devices_before)"; echo "# after: $(echo $now)"; return 1; }
}
check guest_smmu_reload_same_devices same_devices
# Every edu the profile states is the unit's (a test mock must not hold
# one: its paging domains would have the mock's format and aperture).
edu_on_unit() {
	edus=$(stated edu | tr ',' ' ')
	[ -n "$edus" ] || { echo "# the profile states no edu"; return 1; }
	for bdf in $edus; do
		grep -q "^0000:$bdf unit=smmuv3 " $D/devices ||
			{ echo "# $(grep "^0000:$bdf " $D/devices)"; return 1; }
	done
}
check guest_smmu_reload_edu_on_unit edu_on_unit
check guest_smmu_rng_reads_reloaded rng_reads
echo "1..$N"
