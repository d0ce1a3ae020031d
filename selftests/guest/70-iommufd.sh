#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# iommufd_*: userspace DMA through iommufd-lite.  Loads iommufd_lite.ko
# (not a stack module: it would pin the core that 20-core-reload
# unloads), hands both edu devices to it through driver_override (the
# kernel self-tests and the earlier suites are done with them), runs
# iommufd_user (which prints its own TAP), then gives the devices back,
# unloads the module and checks that the core's counters are where they
# were.  The nested cases run where the unit nests (s1=1 and s2=1:
# smmu-nested).

. /etc/liommu.conf
stated() { echo "$EXPECT" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

N=0
RES=/tmp/iommufd-setup.tap
: > $RES
ok() { N=$((N + 1)); echo "ok $N $1" >> $RES; }
nok() { N=$((N + 1)); echo "# $1: $2" >> $RES; echo "not ok $N $1" >> $RES; }
finish() { echo "TAP version 13"; cat $RES; echo "1..$N"; exit 0; }

CORE=/sys/module/liommu_core/parameters/allocations
if [ ! -r "$CORE" ]; then
	echo "TAP version 13"
	echo "1..0 # SKIP the liommu stack is not loaded"
	exit 0
fi
if [ ! -f /lib/liommu/iommufd_lite.ko ] || [ ! -x /lib/liommu/iommufd_user ]; then
	nok iommufd_program_present "no iommufd_lite.ko or iommufd_user in /lib/liommu"
	finish
fi
before=$(cat $CORE)
# test_faults=1: the test-only report_fault file, which reports page
# requests for a device (QEMU's have none) for the fault-queue cases.
if out=$(insmod /lib/liommu/iommufd_lite.ko test_faults=1 2>&1); then
	ok iommufd_module_load
else
	nok iommufd_module_load "insmod: $out"
	finish
fi

bdfs=
for b in $(stated edu | tr ',' ' '); do
	bdf=0000:$b
	echo iommufd_lite > /sys/bus/pci/devices/$bdf/driver_override
	echo $bdf > /sys/bus/pci/drivers_probe 2>/dev/null
	if [ -c /dev/liommu/$bdf ]; then
		ok "iommufd_device_node_$b"
		bdfs="$bdfs $bdf"
	else
		nok "iommufd_device_node_$b" "no /dev/liommu/$bdf after the probe"
	fi
done

nested=
[ "$(stated s1)" = 1 ] && [ "$(stated s2)" = 1 ] && nested=nested
# shellcheck disable=SC2086
set -- $bdfs
if [ $# = 2 ]; then
	# The profile's facts of the unit: GET_HW_INFO's data is checked
	# against them.
	LIOMMU_EXPECT="$EXPECT" /lib/liommu/iommufd_user "$1" "$2" $nested
fi

for bdf in $bdfs; do
	echo $bdf > /sys/bus/pci/drivers/iommufd_lite/unbind
	echo > /sys/bus/pci/devices/$bdf/driver_override
	[ -e /dev/liommu/$bdf ] && nok "iommufd_device_released_${bdf#0000:}" "node still there" ||
		ok "iommufd_device_released_${bdf#0000:}"
done
if out=$(rmmod iommufd_lite 2>&1); then
	ok iommufd_module_unload
else
	nok iommufd_module_unload "rmmod: $out"
fi
after=$(cat $CORE)
if [ "$before" = "$after" ]; then
	ok iommufd_core_counters_restored
else
	nok iommufd_core_counters_restored "before '$before', after '$after'"
fi
finish
