#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kernel_owned_*: on a profile where the kernel's own IOMMU driver drives
# the unit (KERNEL_OWNS names it), liommu's vendor module refuses the unit
# with a message that names who drives it, nothing of liommu stays loaded
# or mapped, and the kernel's driver and its devices keep working: the
# same IOMMU groups before and after, virtio-rng still delivers.
# Elsewhere it skips.  Prints TAP.

. /etc/liommu.conf
echo "TAP version 13"
if [ -z "$KERNEL_OWNS" ]; then
	echo "1..0 # SKIP the profile's unit is liommu's (no KERNEL_OWNS)"
	exit 0
fi

N=0
ok() {	# ok COND-STATUS NAME [DIAG]
	N=$((N + 1))
	if [ "$1" = 0 ]; then
		echo "ok $N kernel_owned_$2"
	else
		[ -n "$3" ] && echo "# $3"
		echo "not ok $N kernel_owned_$2"
	fi
}
expect() {	# expect NAME VALUE=KEY: the value of KEY= in EXPECT
	echo "$EXPECT" | tr ' ' '\n' | sed -n "s/^$1=//p"
}
groups() {	# the IOMMU group of each PCI device, one 'bdf group' a line
	for d in /sys/bus/pci/devices/*; do
		g=$(readlink "$d/iommu_group" 2>/dev/null)
		echo "$(basename "$d") ${g##*/}"
	done
}
liommu_left() {	# what of liommu is loaded or mapped, empty if nothing
	grep '^liommu' /proc/modules | cut -d' ' -f1
	grep -i liommu /proc/iomem
}

core=$(echo "$STACK" | cut -d' ' -f1)
vendor=$(echo "$STACK" | cut -d' ' -f2)
edu=0000:$(expect edu | cut -d, -f1)
rng=0000:$(expect rng)

# The kernel's driver is in charge: a unit in /sys/class/iommu and the
# virtio-rng device (bound to virtio-pci) in one of its groups.  (On arm64
# a PCI device that no driver is bound to, like edu, gets no group.)
units=$(ls /sys/class/iommu 2>/dev/null | tr '\n' ' ')
[ -n "$units" ] && [ -e "/sys/bus/pci/devices/$rng/iommu_group" ]
ok $? kernel_driver_active "units '$units'; $rng has no IOMMU group"
echo "# units: $units; $edu group: $(readlink /sys/bus/pci/devices/$edu/iommu_group 2>/dev/null || echo none)"
before=$(groups)

insmod "/lib/liommu/$core.ko" 2>/dev/null
ok $? core_loads "$core did not load"

dmesg -c > /dev/null
if insmod "/lib/liommu/$vendor.ko" 2>/tmp/insmod.err; then
	ok 1 vendor_refused "$vendor loaded on a unit $KERNEL_OWNS drives"
	rmmod "$vendor"
else
	ok 0 vendor_refused
fi
msg=$(dmesg | sed 's/^\[[^]]*\] //' | grep 'refusing the unit' | sort -u)
echo "$msg" | sed 's/^/# /'
case $KERNEL_OWNS in
intel-iommu) pat="the kernel's own IOMMU driver drives it (0000:" ;;
*) pat="driven by the kernel's driver '$KERNEL_OWNS'" ;;
esac
echo "$msg" | grep -qF "$pat"
ok $? refusal_names_owner "no refusal naming '$pat'"
grep -q "^$vendor " /proc/modules
[ $? != 0 ] && ! grep -qi liommu /proc/iomem
ok $? vendor_leaves_nothing "$(liommu_left)"

after=$(groups)
[ "$before" = "$after" ]
ok $? groups_unchanged "before: $before; after: $after"

# The kernel's driver still translates virtio-rng's DMA: it delivers.
cur=$(cat /sys/class/misc/hw_random/rng_current 2>/dev/null)
n=$(dd if=/dev/hwrng bs=64 count=1 2>/dev/null | wc -c)
[ "$n" = 64 ] && case $cur in virtio_rng*) true ;; *) false ;; esac
ok $? rng_delivers "rng_current '$cur', read $n of 64 bytes"

rmmod "$core" 2>/dev/null
ok $? core_unloads "$core did not unload"
left=$(liommu_left)
[ -z "$left" ]
ok $? nothing_left "$left"
# Our modules never warned: the refusal is an error message, not a splat.
! dmesg | grep -qE 'WARNING:|BUG:|Oops'
ok $? no_warning "$(dmesg | grep -E 'WARNING:|BUG:|Oops' | head -n 2)"
echo "1..$N"
