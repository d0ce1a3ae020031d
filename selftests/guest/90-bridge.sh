#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bridge_*: liommu_bridge.ko makes liommu's units the kernel's IOMMU
# driver (Documentation/bridge.rst).  Runs after every other suite (the
# edu devices are theirs before) and leaves the stack loaded, the bridge
# unloaded.  virtio-rng, bound at boot, keeps its direct DMA through
# registration; unbound, taken at the next registration, switched to DMA
# through its group's type and bound again, its DMA goes through a liommu
# paging domain.  vfio-pci binds edu and bridge_vfio drives edu's DMA
# through VFIO type1.  Ownership is refused both ways, unregistering is
# refused while busy, then clean; ten cycles leak nothing; rmmod works.
# Prints TAP.

. /etc/liommu.conf
N=0
ok() { N=$((N + 1)); echo "ok $N $1${2:+ # SKIP $2}"; }
nok() { N=$((N + 1)); echo "# $1: $2"; echo "not ok $N $1"; }
check() { name=$1; shift; if "$@"; then ok "$name"; else nok "$name" "failed: $*"; fi; }
echo "TAP version 13"
KO=/lib/liommu/liommu_bridge.ko
if [ ! -f $KO ]; then
	ok bridge "liommu_bridge.ko not built for this target"
	echo "1..$N"
	exit 0
fi
stated() {
	for kv in $EXPECT; do
		case $kv in "$1"=*) echo "${kv#*=}" ;; esac
	done
}
RNG=0000:$(stated rng)
EDU=0000:$(stated edu | cut -d, -f1)
EDU2=0000:$(stated edu | cut -d, -f2)
P=/sys/module/liommu_bridge/parameters/registered
D=/sys/kernel/debug/liommu_bridge
PCI=/sys/bus/pci
VIRTIO=$PCI/drivers/virtio-pci

# Read $1 bytes (512 by default) from /dev/hwrng within 10 s; if not,
# say what the device and the units show.
rng_reads() {
	got=$(timeout 10 head -c ${1:-512} /dev/hwrng 2>/dev/null | wc -c)
	[ "$got" -eq ${1:-512} ] && return 0
	echo "# read $got of ${1:-512} bytes; virtio status: $(cat /sys/bus/pci/devices/$RNG/virtio*/status 2>/dev/null)"
	sed 's/^/# faults: /' /sys/kernel/debug/liommu/faults 2>/dev/null | head -8
	sed 's/^/# stats: /' $D/stats 2>/dev/null
	return 1
}
group_of() { [ -e $PCI/devices/$1/iommu_group ]; }
no_group() { ! group_of "$1"; }
gtype() { cat $PCI/devices/$1/iommu_group/type 2>/dev/null; }
set_type() { echo "$2" > $PCI/devices/$1/iommu_group/type; }
devline() { grep "^$1 " $D/devices; }
stat() { sed -n "s/.*[ :]$1=\([0-9-]*\).*/\1/p" $D/stats | head -1; }
corestat() { sed -n "s/^core:.* $1=\([0-9-]*\).*/\1/p" $D/stats; }
reg() { echo "$1" > $P 2>/dev/null; }
api() { echo "$1" > $D/api_attach 2>/dev/null; }
klog() { dmesg | grep -q "$1"; }
drv_of() { basename "$(readlink $PCI/devices/$1/driver 2>/dev/null)"; }
# Fault lines of the VT-d driver, the SMMU driver and the core.
FAULTS='DMA fault|event F_|I/O page fault'

dmesg -c > /dev/null
check bridge_rng_reads_before rng_reads
check bridge_load_unregistered insmod $KO registered=0
check bridge_not_registered_at_load [ "$(cat $P)" = 0 ]

# Ownership, liommu's side first: an API caller holds a domain on EDU2.
check bridge_api_hold_edu2 api "hold $EDU2"
check bridge_register reg 1
check bridge_registered [ "$(cat $P)" = 1 ]
check bridge_sysfs_class_iommu ls -d /sys/class/iommu/liommu-*
check bridge_api_owned_device_not_taken no_group $EDU2
check bridge_api_owned_device_message \
	klog "API caller has a domain attached"
api release
# A driver bound before registration: left alone, direct DMA.
check bridge_bound_rng_left_outside no_group $RNG
check bridge_rng_reads_through_registration rng_reads
check bridge_unbound_edu_identity [ "$(gtype $EDU)" = identity ]
# Kernel's side: the core refuses an API caller on a device it drives.
if api "try $EDU"; then
	nok bridge_api_refused_on_kernel_device "liommu API attach succeeded"
else
	ok bridge_api_refused_on_kernel_device
fi
check bridge_api_refusal_message klog "the kernel's IOMMU core drives this device"

# virtio-rng to translated DMA: unbind, re-register, type DMA, bind.
check bridge_rng_unbind sh -c "echo $RNG > $VIRTIO/unbind"
check bridge_reregister sh -c "echo 0 > $P && echo 1 > $P"
check bridge_edu2_taken_after_release group_of $EDU2
check bridge_rng_joins_identity [ "$(gtype $RNG)" = identity ]
check bridge_rng_type_dma set_type $RNG DMA
check bridge_rng_group_is_dma [ "$(gtype $RNG)" = DMA ]
maps0=$(stat maps)
check bridge_rng_bind sh -c "echo $RNG > $VIRTIO/bind"
check bridge_rng_reads_translated rng_reads
check bridge_rng_paging_domain sh -c "grep -q '^$RNG .*domain=paging driver=virtio-pci' $D/devices"
# Many map/unmap cycles: virtio-rng maps each request's buffer and
# unmaps it in its interrupt handler.
if [ "$QEMU_BUILD" = pasid ]; then
	ok bridge_rng_reads_16k_translated "liommu's patched QEMU (10.0.13): bulk virtio DMA through a translated domain stalls, the kernel's own VT-d driver's too (Documentation/qemu-pasid.rst)"
else
	check bridge_rng_reads_16k_translated rng_reads 16384
fi
check bridge_rng_maps_counted [ "$(stat maps)" -gt "${maps0:-0}" ]
check bridge_rng_unmaps_counted [ "$(stat unmaps)" -gt 0 ]
check bridge_rng_unmaps_in_interrupt [ "$(stat irq_unmaps)" -gt 0 ]
check bridge_rng_tables_in_core [ "$(corestat table_pages)" -gt 0 ]
check bridge_rng_no_fault sh -c "! dmesg | grep -qE '$FAULTS'"
check bridge_rng_no_map_errors [ "$(stat errors)" = 0 ]
sed 's/^/# /' $D/stats

# Unregister refused while a driver is bound.
if reg 0; then nok bridge_unregister_refused_bound "unregistered"; else ok bridge_unregister_refused_bound; fi
check bridge_refusal_names_driver klog "unregister refused: driver virtio-pci"
check bridge_still_registered [ "$(cat $P)" = 1 ]
check bridge_rng_reads_after_refusal rng_reads

# VFIO: vfio-pci takes EDU, bridge_vfio drives its DMA through type1.
if [ -e /sys/module/vfio_pci ] && [ -x /lib/liommu/bridge_vfio ]; then
	echo Y > /sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts
	echo vfio-pci > $PCI/devices/$EDU/driver_override
	check bridge_vfio_pci_binds_edu sh -c "echo $EDU > $PCI/drivers/vfio-pci/bind"
	# The core's count of faults reported, on every unit (debugfs
	# faults: its fault messages are rate-limited, and other suites of the
	# boot may have used them up).
	reported() { awk -F' reported=' 'NF > 1 { split($2, a, " "); s += a[1] } END { print s + 0 }' /sys/kernel/debug/liommu/faults; }
	faults0=$(reported)
	out=$(/lib/liommu/bridge_vfio $EDU 2>&1)
	echo "$out" | sed 's/^/# /'
	for name in $(echo "$out" | sed -n 's/^PASS \([^ :]*\).*/\1/p'); do
		ok "bridge_$name"
	done
	for name in $(echo "$out" | sed -n 's/^FAIL \([^ :]*\).*/\1/p'); do
		nok "bridge_$name" "$(echo "$out" | grep "^FAIL $name")"
	done
	iova=$(echo "$out" | sed -n 's/^IOVA_B 0x\([0-9a-f]*\)/\1/p')
	# The unit reported a fault, and the last one queued is edu's write
	# to the unmapped IOVA's page (the SMMU reports one per 4 bytes).
	# VT-d's fault records are polled every 10 ms: give them time.
	sleep 1
	last=$(sed -n "s/.* last=$EDU:w:0x\([0-9a-f]*\)$/\1/p" /sys/kernel/debug/liommu/faults | head -n 1)
	echo "# faults reported: $faults0 before, $(reported) after; last: edu write of 0x${last:-none}"
	check bridge_vfio_unmapped_iova_faults [ "$(reported)" -gt "$faults0" -a -n "$last" -a \
		"$(( 0x${last:-0} >> 12 ))" = "$(( 0x${iova:-1} >> 12 ))" ]
	dmesg | grep -E "$FAULTS" | sed 's/^/# /' | head -3
	check bridge_vfio_closed_back_to_identity \
		sh -c "grep -q '^$EDU .*domain=identity driver=vfio-pci' $D/devices"
	echo $EDU > $PCI/drivers/vfio-pci/unbind
	echo > $PCI/devices/$EDU/driver_override
	check bridge_vfio_unbound [ -z "$(drv_of $EDU)" ]
else
	ok bridge_vfio "vfio-pci or bridge_vfio not in this guest"
fi

# The DMA API with edu: the second edu (no driver) in a DMA domain,
# liommu_bridgetest.ko maps a page with dma_map_single(), has edu copy
# through the handle, unmaps it, and has edu write to it again: the unit
# reports the fault and the page stays as it was.
BT=/lib/liommu/liommu_bridgetest.ko
BTP=/sys/module/liommu_bridgetest/parameters
if [ -f $BT ]; then
	check bridge_dma_api_edu_type_dma set_type $EDU2 DMA
	check bridge_dma_api_edu_test_loads insmod $BT bdf=$EDU2
	echo "# liommu_bridgetest: $(cat $BTP/why 2>/dev/null)"
	check bridge_dma_api_edu_data_arrives [ "$(cat $BTP/data_arrives 2>/dev/null)" = 1 ]
	check bridge_dma_api_edu_unmapped_iova_faults [ "$(cat $BTP/unmapped_faults 2>/dev/null)" = 1 ]
	check bridge_dma_api_edu_page_untouched [ "$(cat $BTP/untouched 2>/dev/null)" = 1 ]
	rmmod liommu_bridgetest 2>/dev/null
	check bridge_dma_api_edu_type_identity set_type $EDU2 identity
else
	ok bridge_dma_api_edu "liommu_bridgetest.ko not built for this target"
fi

# Unregister refused while a group is translated, then clean.
check bridge_rng_unbind_again sh -c "echo $RNG > $VIRTIO/unbind"
# Unbound, virtio-rng unmapped everything: the IOVA it unmapped last no
# longer translates in liommu's table (its DMA domain stays the group's).
check bridge_rng_unmapped_iova_gone sh -c "sed 's/^/# /' $D/last_unmap; grep -qE 'phys=(0x)?0$' $D/last_unmap"
if reg 0; then
	nok bridge_unregister_refused_translated "unregistered"
else
	ok bridge_unregister_refused_translated
fi
check bridge_refusal_names_type klog "has a translated domain"
check bridge_rng_type_identity set_type $RNG identity
check bridge_unregister_clean reg 0
check bridge_rng_no_group_after_unregister no_group $RNG
check bridge_rng_rebind_direct sh -c "echo $RNG > $VIRTIO/bind"
check bridge_rng_reads_after_unregister rng_reads

# Ten register/unregister cycles leak nothing in the core.
reg 1 && reg 0
before=$(grep '^core:' $D/stats)
fails=0
i=0
while [ $i -lt 10 ]; do
	reg 1 || fails=$((fails + 1))
	group_of $EDU || fails=$((fails + 1))
	reg 0 || fails=$((fails + 1))
	i=$((i + 1))
done
after=$(grep '^core:' $D/stats)
check bridge_ten_cycles [ $fails = 0 ]
if [ "$before" = "$after" ]; then
	ok bridge_cycles_leak_nothing
else
	nok bridge_cycles_leak_nothing "before: $before; after: $after"
fi
check bridge_module_unpinned sh -c "grep -q '^liommu_bridge [0-9]* 0 ' /proc/modules"
check bridge_rmmod rmmod liommu_bridge
check bridge_rng_reads_at_end rng_reads
if dmesg | grep -qE 'WARNING|BUG|Oops|refcount_t|list_(add|del) corruption'; then
	nok bridge_no_kernel_warning "$(dmesg | grep -E 'WARNING|BUG|Oops' | head -3)"
else
	ok bridge_no_kernel_warning
fi
echo "1..$N"
