#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# guest_foreign_module_*: a module built for another target's kernel is
# refused by this kernel with its own version check message, and nothing
# of it stays loaded.  With CONFIG_MODVERSIONS the kernel compares the
# module_layout CRC first ('disagrees about version of symbol
# module_layout'); without it, the vermagic string ('version magic').  The profile names the modules (FOREIGN_MODULES);
# vm-run puts them under /lib/foreign/<target>/.  Prints TAP.

echo "TAP version 13"
N=0
for f in /lib/foreign/*/*.ko; do
	[ -f "$f" ] || continue
	t=$(basename "$(dirname "$f")")
	m=$(basename "$f" .ko)
	N=$((N + 1))
	before=$(cut -d' ' -f1 /proc/modules | sort)
	dmesg -c > /dev/null
	if insmod "$f" 2>/dev/null; then
		rmmod "$m"
		echo "# $m built for $t loaded on $(uname -r)"
		echo "not ok $N guest_foreign_module_${t}_$m"
		continue
	fi
	msg=$(dmesg | grep -E "$m: (version magic|disagrees about version)|module $m: .gnu.linkonce.this_module section size must match" |
		head -n 1)
	if [ -z "$msg" ] || [ "$before" != "$(cut -d' ' -f1 /proc/modules | sort)" ]; then
		echo "# $m built for $t: no version-magic message, or still loaded:"
		dmesg | tail -n 3 | sed 's/^/# /'
		echo "not ok $N guest_foreign_module_${t}_$m"
	else
		echo "# $(echo "$msg" | sed 's/^\[[^]]*\] //')"
		echo "ok $N guest_foreign_module_${t}_$m"
	fi
done
if [ $N = 0 ]; then
	echo "1..0 # SKIP this profile names no foreign module"
else
	echo "1..$N"
fi
