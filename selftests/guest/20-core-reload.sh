#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# core_reload_*: unload and reload liommu_mock.ko and liommu_core.ko and
# read the core's allocation counters (module parameter 'allocations'):
# every counter is back to zero once the mock's units are gone, and again
# after a reload.  The mock, loaded before the vendor driver on a fresh
# core, claims no PCI device (it claims only devices it is handed), so the
# vendor driver loaded after it gets them all back.  Runs with the stack
# loaded and leaves it loaded.

N=0
ok() { N=$((N + 1)); echo "ok $N $1"; }
nok() { N=$((N + 1)); echo "# $1: $2"; echo "not ok $N $1"; }
check() { name=$1; shift; if "$@"; then ok "$name"; else nok "$name" "failed: $*"; fi; }

CORE=/sys/module/liommu_core/parameters/allocations
MOCK=/sys/module/liommu_mock/parameters/allocations
ZERO="iommus=0 devices=0 groups=0 domains=0 table_pages=0 allocs=0"

echo "TAP version 13"
if [ ! -r "$CORE" ] || [ ! -r "$MOCK" ]; then
	echo "1..0 # SKIP liommu_core or liommu_mock not loaded"
	exit 0
fi

field() { tr ' ' '\n' < "$1" | sed -n "s/^$2=//p"; }
is() { [ "$(cat "$1")" = "$2" ] || { echo "# $1: $(cat "$1")"; return 1; }; }
# The vendor driver (liommu_smmuv3 on arm64, liommu_intel on x86) is a
# unit of the core too: it leaves first and comes back last, so that the
# core can be unloaded and counted alone.  QEMU builds one SMMU, one DRHD.
VENDOR=
for m in liommu_smmuv3 liommu_intel; do
	[ -d /sys/module/$m ] && VENDOR=$m
done
units=3
[ -n "$VENDOR" ] && units=4
loaded_idle() {
	[ "$(field $CORE domains)" = 0 ] && [ "$(field $CORE table_pages)" = 0 ] &&
		[ "$(field $CORE iommus)" = $units ] && [ "$(field $MOCK domains)" = 0 ]
}

check core_reload_idle_after_selftests loaded_idle
if [ -n "$VENDOR" ]; then
	check core_reload_unload_${VENDOR#liommu_} rmmod $VENDOR
	units=3
fi
check core_reload_unload_mock rmmod liommu_mock
check core_reload_counters_zero is $CORE "$ZERO"
check core_reload_load_mock insmod /lib/liommu/liommu_mock.ko
check core_reload_mock_registered loaded_idle
check core_reload_unload_mock_again rmmod liommu_mock
check core_reload_unload_core rmmod liommu_core
check core_reload_load_core insmod /lib/liommu/liommu_core.ko
check core_reload_fresh_core_zero is $CORE "$ZERO"
check core_reload_load_mock_again insmod /lib/liommu/liommu_mock.ko
check core_reload_stack_restored loaded_idle
DEVICES=/sys/kernel/debug/liommu/devices
no_pci_on_mock() {
	! grep -q ' unit=mock2 ' $DEVICES ||
		{ grep ' unit=mock2 ' $DEVICES | sed 's/^/# /'; return 1; }
}
check core_reload_mock_claims_no_pci no_pci_on_mock
if [ -n "$VENDOR" ]; then
	check core_reload_load_${VENDOR#liommu_} insmod /lib/liommu/$VENDOR.ko
	units=4
	check core_reload_${VENDOR#liommu_}_registered loaded_idle
	vendor_unit=smmuv3
	[ $VENDOR = liommu_intel ] && vendor_unit=vtd0
	edu_on_vendor() {
		edus=
		for kv in $(. /etc/liommu.conf; echo $EXPECT); do
			case $kv in edu=*) edus=$(echo ${kv#edu=} | tr ',' ' ') ;; esac
		done
		[ -n "$edus" ] || { echo "# the profile states no edu"; return 1; }
		for bdf in $edus; do
			grep -q "^0000:$bdf unit=$vendor_unit " $DEVICES ||
				{ echo "# 0000:$bdf: $(grep "^0000:$bdf " $DEVICES)"; return 1; }
		done
	}
	check core_reload_edu_back_on_${VENDOR#liommu_} edu_on_vendor
fi
echo "1..$N"
