#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# sva_*: SVA from a guest process, on profiles whose VT-d unit has
# first-stage translation and whose edus issue PASID-tagged DMA
# (vtd-pasid-fl): loads liommu_svatest.ko, runs sva_user (which prints
# the TAP), unloads the module.  Elsewhere the in-kernel sva suite
# checks the refusals.

. /etc/liommu.conf
stated() { echo "$EXPECT" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

case " $STACK " in *" liommu_intel "*) ;; *) STACK_INTEL= ;; esac
if [ "$(stated first_stage)" != 1 ] || [ "$(stated second_stage)" != 0 ] ||
   [ "$(stated edu_pasid_bits)" = 0 ] || [ -z "$(stated edu_pasid_bits)" ] ||
   [ "${STACK_INTEL-x}" = "" ]; then
	echo "TAP version 13"
	echo "1..0 # SKIP no SVA here: needs a first-stage VT-d unit and PASID-tagged edu DMA (vtd-pasid-fl)"
	exit 0
fi
if [ ! -x /lib/liommu/sva_user ] || [ ! -f /lib/liommu/liommu_svatest.ko ]; then
	echo "TAP version 13"
	echo "not ok 1 sva_program_present"
	echo "1..1"
	exit 0
fi
if ! insmod /lib/liommu/liommu_svatest.ko edu="$(stated edu)"; then
	echo "TAP version 13"
	echo "not ok 1 sva_test_module_loads"
	echo "1..1"
	exit 0
fi
/lib/liommu/sva_user
rmmod liommu_svatest
