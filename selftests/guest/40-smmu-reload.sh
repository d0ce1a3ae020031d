#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# guest_smmu_*: on SMMUv3 profiles, the SMMU liommu_smmuv3 enabled lets
# virtio-rng's DMA through (its bypass STE); unloading the driver leaves
# CR0 and CR0ACK at 0 (read through /dev/mem once the registers are
# released) and the device still works (GBPA bypass); and the driver can
# take the SMMU again, which it refuses if anything was left on.  Prints
# TAP.

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

rng_reads() {
	[ "$(timeout 10 dd if=/dev/hwrng bs=16 count=1 2>/dev/null | wc -c)" -eq 16 ]
}
smmu_on() { dmesg | grep -q 'liommu-smmuv3: SMMU 0: enabled'; }
check guest_smmu_enabled smmu_on
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
check guest_smmu_rng_reads_reloaded rng_reads
echo "1..$N"
