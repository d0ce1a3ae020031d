#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# failnth_load_*: the vendor driver's bring-up under failure injection.
# With the core loaded and the vendor driver unloaded, load the driver
# with the n-th failure-injection point armed (debugfs fail_nth), for
# n = 1, 2, ... until a load reaches fewer points than n and succeeds.
# An injected failure either fails the load, with an error, naming the
# point, and leaving nothing behind (not loaded, no register range in
# /proc/iomem, the core's counters in debugfs stats as before), or, at a
# per-device point, is survived: the unit comes up without that device,
# which keeps working untranslated (virtio-rng reads), and unloads leaving
# nothing.  The loads use selftests/tools/finit_module: busybox's insmod
# retries a failed load once, which would hide the failure.  The count of
# points reached is reported.  Prints TAP.

. /etc/liommu.conf
echo "TAP version 13"
# A profile whose unit runs in the same mode as another's, with the same
# driver code (the 6.1 and 7.3 twins, and vtd-sm-sl/-fl, whose PASID-DMA
# twins also have PASID-capable edus), leaves the sweep (about half a
# minute of TCG time) to that one (SWEEP_TWIN in the profile).
if [ -n "$SWEEP_TWIN" ]; then
	echo "1..0 # SKIP the bring-up sweep of this unit's mode runs on $SWEEP_TWIN"
	exit 0
fi
D=/sys/kernel/debug/liommu
vendor=
for m in $STACK; do
	case $m in liommu_intel|liommu_smmuv3) vendor=$m ;; esac
done
if [ -z "$vendor" ] || [ ! -w $D/fail_nth ] || [ ! -x /lib/liommu/finit_module ]; then
	echo "1..0 # SKIP no vendor driver in the stack, no fail_nth file or no finit_module"
	exit 0
fi
KO=/lib/liommu/$vendor.ko
N=0
ok() {	# ok STATUS NAME [DIAG]
	N=$((N + 1))
	if [ "$1" = 0 ]; then
		echo "ok $N failnth_load_$2"
	else
		[ -n "$3" ] && echo "# $3"
		echo "not ok $N failnth_load_$2"
	fi
}
rng_reads() {
	[ "$(timeout 10 head -c 512 /dev/hwrng 2>/dev/null | wc -c)" -eq 512 ]
}
loaded() { grep -q "^$vendor " /proc/modules; }
# The core's counters without the vendor: nothing of it may remain.
stats_now() { cat $D/stats; }

rmmod "$vendor" 2>/dev/null
! loaded
ok $? unloaded_first "$vendor still loaded"
base=$(stats_now)

# gone_clean N SITE: after a load that failed or was unloaded, nothing of
# the vendor remains.
gone_clean() {
	if loaded; then
		bad="$bad; n=$1 ($2): still loaded"
	elif grep -qi "liommu" /proc/iomem; then
		bad="$bad; n=$1 ($2): registers still claimed"
	elif [ "$(stats_now)" != "$base" ]; then
		bad="$bad; n=$1 ($2): core counters '$(stats_now)', before '$base'"
	fi
}

n=1 points=0 bad= sites= failed=0 degraded=0
while [ $n -le 300 ]; do
	echo $n > $D/fail_nth
	dmesg -c > /dev/null
	if /lib/liommu/finit_module $KO 2>/dev/null; then
		left=$(sed -n 's/^remaining=\([0-9]*\).*/\1/p' $D/fail_nth)
		site=$(sed -n 's/.* site=//p' $D/fail_nth)
		echo 0 > $D/fail_nth
		if [ "$left" != 0 ] || [ "$site" = - ]; then
			points=$((n - 1))
			break
		fi
		# A per-device point (the device's state, its STE master):
		# the unit comes up without that device, which stays on its
		# untranslated default and keeps working.
		degraded=$((degraded + 1))
		case " $sites " in *" $site "*) ;; *) sites="$sites $site" ;; esac
		rng_reads || bad="$bad; n=$n ($site): virtio-rng stopped"
		rmmod "$vendor" || bad="$bad; n=$n ($site): no unload"
		gone_clean $n "$site"
		n=$((n + 1))
		continue
	fi
	site=$(sed -n 's/.* site=//p' $D/fail_nth)
	echo 0 > $D/fail_nth
	failed=$((failed + 1))
	case " $sites " in *" $site "*) ;; *) sites="$sites $site" ;; esac
	if [ "$site" = - ]; then
		bad="$bad; n=$n: the load failed with no injected failure"
	else
		gone_clean $n "$site"
	fi
	n=$((n + 1))
done
echo "# $vendor: $points failure-injection points reached in a load: $failed failed it cleanly, $degraded were survived without a device; points:$sites"
[ $points -gt 0 ] && loaded
ok $? reaches_points "$vendor never loaded, or reached no point (n=$n)"
[ -z "$bad" ]
ok $? every_failure_clean "${bad#; }"
case $vendor in
liommu_intel) want="vtd:units vtd:table vtd:qi-queue core:kzalloc" ;;
*) want="smmu:queue smmu:strtab smmu:master core:kzalloc" ;;
esac
missing=
for w in $want; do
	case " $sites " in *" $w "*) ;; *) missing="$missing $w" ;; esac
done
[ -z "$missing" ]
ok $? bring_up_points_reached "not reached:$missing"
rng_reads
ok $? rng_after_sweep "virtio-rng does not read after the sweep"
! dmesg | grep -qE 'WARNING:|BUG:|Oops'
ok $? no_warning "$(dmesg | grep -E 'WARNING:|BUG:|Oops' | head -n 2)"
echo "1..$N"
