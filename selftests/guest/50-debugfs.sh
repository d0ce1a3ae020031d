#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# debugfs_*: the core's read-only view under /sys/kernel/debug/liommu/
# (core/debugfs.c), read back with the stack loaded and checked against
# what the profile states and what sysfs shows: every unit the profile
# promises, every listed device with its unit, group and domain, each
# group and domain once, and translate's answer for an identity domain.
# Prints TAP.

. /etc/liommu.conf
D=/sys/kernel/debug/liommu
N=0
ok() { N=$((N + 1)); echo "ok $N $1${2:+ # SKIP $2}"; }
nok() { N=$((N + 1)); echo "# $1: $2"; echo "not ok $N $1"; }

# stated KEY: the value the profile's EXPECT gives KEY.
stated() { echo "$EXPECT" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

echo "TAP version 13"
if [ -z "$STACK" ] || [ ! -d $D ]; then
	[ -d /sys/kernel/debug ] || { echo "1..0 # SKIP no debugfs"; exit 0; }
	nok debugfs_files "no $D with the stack loaded"
	echo "1..$N"
	exit 0
fi

missing=
for f in units devices groups domains translate walk; do
	[ -f $D/$f ] || missing="$missing $f"
done
[ -z "$missing" ] && ok debugfs_files || nok debugfs_files "missing:$missing"

# units: the hardware units the profile states (the mock's three units
# are the others), each once.
units=$(stated units)
hw=$(grep -cv '^mock' $D/units)
if [ -n "$units" ] && [ "$hw" -eq "$units" ] &&
   [ -z "$(cut -d' ' -f1 $D/units | sort | uniq -d)" ]; then
	ok debugfs_units
else
	nok debugfs_units "stated $units, listed: $(tr '\n' ';' < $D/units)"
fi

# devices: every listed device, on a unit, in a group, with a domain, and
# nothing listed twice.
devs="$(stated edu | tr ',' ' ') $(stated rng)"
bad=
for d in $devs; do
	line=$(grep "^0000:$d " $D/devices)
	case $line in
	*" unit="*" group="[0-9]*" domain="*:*) ;;
	*) bad="$bad $d" ;;
	esac
done
dups=$(cut -d' ' -f1 $D/devices | sort | uniq -d)
[ -z "$bad$dups" ] && ok debugfs_devices ||
	nok debugfs_devices "bad or missing:$bad, twice: $dups"

# A device nobody attached uses its unit's default domain, which is
# identity (or the 1:1 table of a unit without pass-through: paging).
bad=
for d in $devs; do
	case $(grep "^0000:$d " $D/devices) in
	*" domain=identity:"*|*" domain=paging:"*) ;;
	*) bad="$bad $d" ;;
	esac
done
[ -z "$bad" ] && ok debugfs_devices_default_domain ||
	nok debugfs_devices_default_domain "not on a default domain:$bad"

# groups: each device's group is listed once, names the device as a
# member and has the device's domain.
bad=
for d in $devs; do
	line=$(grep "^0000:$d " $D/devices)
	g=$(echo "$line" | sed -n 's/.* group=\([0-9]*\) .*/\1/p')
	dom=$(echo "$line" | sed -n 's/.* domain=\([^ ]*\) .*/\1/p')
	gl=$(grep "^$g " $D/groups)
	[ "$(grep -c "^$g " $D/groups)" = 1 ] || { bad="$bad $d"; continue; }
	case $gl in
	*" domain=$dom "*"members="*"0000:$d"*) ;;
	*) bad="$bad $d" ;;
	esac
done
[ -z "$bad" ] && ok debugfs_groups || nok debugfs_groups "mismatch for:$bad"

# domains: each device's domain is listed once, on the device's unit,
# with as many users as groups name it.
bad=
for d in $devs; do
	line=$(grep "^0000:$d " $D/devices)
	unit=$(echo "$line" | sed -n 's/.* unit=\([^ ]*\) .*/\1/p')
	dom=$(echo "$line" | sed -n 's/.* domain=\([^ ]*\) .*/\1/p')
	users=$(grep -c " domain=$dom " $D/groups)
	[ "$(grep -c "^$dom " $D/domains)" = 1 ] &&
		grep -q "^$dom group=[0-9]* unit=$unit owner=kernel static=[01] users=$users " \
			$D/domains || bad="$bad $d"
done
[ -z "$bad" ] && ok debugfs_domains || nok debugfs_domains "mismatch for:$bad"

# translate: an IOVA of the first edu, on its identity domain, is itself;
# a device the stack does not translate says so.
edu=0000:$(stated edu | cut -d, -f1)
echo "$edu 0x12345000" > $D/translate
out=$(cat $D/translate)
case $out in
*"0x12345000 -> 0x12345000 identity"*) ok debugfs_translate_identity ;;
*"domain=paging:"*"0x12345000 -> "*) ok debugfs_translate_identity ;;
*) nok debugfs_translate_identity "$(echo "$out" | tr '\n' ';')" ;;
esac
echo "0000:ff:1f.7 0x1000" > $D/translate
case $(cat $D/translate) in
*"not translated by liommu"*) ok debugfs_translate_unknown ;;
*) nok debugfs_translate_unknown "$(tr '\n' ';' < $D/translate)" ;;
esac
if echo "garbage" > $D/translate 2>/dev/null; then
	nok debugfs_translate_rejects "a line without an IOVA was taken"
else
	ok debugfs_translate_rejects
fi

# walk: the first edu's domain is found by its name; an identity domain
# has no table to walk (a paging default domain: a walk that starts at
# its root); a name no group uses and a line without an IOVA are
# refused.  The walk of a mapped IOVA is checked in the kernel, against
# the table (selftests/kmod/debugfs_walk.c).
dom=$(grep "^$edu " $D/devices | sed -n 's/.* domain=\([^ ]*\) .*/\1/p')
echo "$dom 0x12345000" > $D/walk
out=$(cat $D/walk)
case $out in
"$dom iova=0x12345000"*"not a paging domain"*) ok debugfs_walk_request ;;
"$dom iova=0x12345000"*"format="*"root="*"level="*) ok debugfs_walk_request ;;
*) nok debugfs_walk_request "$dom: $(echo "$out" | tr '\n' ';')" ;;
esac
echo "paging:0000000000000000 0x1000" > $D/walk
case $(cat $D/walk) in
*"no group uses this domain"*) ok debugfs_walk_unknown ;;
*) nok debugfs_walk_unknown "$(tr '\n' ';' < $D/walk)" ;;
esac
if echo "garbage" > $D/walk 2>/dev/null; then
	nok debugfs_walk_rejects "a line without an IOVA was taken"
else
	ok debugfs_walk_rejects
fi

echo "1..$N"
