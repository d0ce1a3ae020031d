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

# The vendor's own files (intel/debugfs.c, arm-smmu-v3/debugfs.c): one
# per device the unit serves, the entries the unit walks for it, raw and
# field by field.  Each listed device has one; on its default domain the
# entry is pass-through (VT-d: TT 10b in legacy mode, PGTT 100b in the
# RID_PASID PASID entry in scalable mode; SMMU: a valid bypass STE) in
# the mode the profile states; the named fields are the raw words' bits
# (worked out here from the specification's bit positions, apart from
# the driver's headers); every device of a unit shows the same RTADDR
# and the same identity domain id; an SMMU file names the StreamID the
# profile states.  The values of an attached paging domain are checked in
# the kernel (selftests/kmod/debugfs_vtd.c, debugfs_smmu.c).

# field LINE NAME: the value of NAME= in LINE.
field() { echo "$1" | sed -n "s/.* $2=\([^ ]*\).*/\1/p"; }
# raw LINE I: raw word I (from 0) of LINE.
raw() { echo "$1" | sed -n 's/.* raw=\([^ ]*\).*/\1/p' | cut -d, -f$(($2 + 1)); }

vendor=
if [ -n "$(stated scalable)" ]; then
	vendor=vtd
	vdir=$D/vtd/vtd0/devices
elif [ -n "$(stated s1)" ]; then
	vendor=smmu
	vdir=$D/smmu/smmu0/devices
fi

# What the first edu's file says, for the log.
[ -n "$vendor" ] && [ -f "$vdir/$edu" ] && sed 's/^/# /' "$vdir/$edu"

if [ -z "$vendor" ]; then
	ok debugfs_vendor_files "the profile names no hardware unit"
else
	missing=
	for d in $devs; do
		[ -f "$vdir/0000:$d" ] || missing="$missing $d"
	done
	[ -z "$missing" ] && ok debugfs_vendor_files ||
		nok debugfs_vendor_files "no file in $vdir for:$missing"
fi

# vtd_entry FILE: the line of the entry that says how the device
# translates: the context entry (legacy), RID_PASID's PASID entry
# (scalable).
vtd_entry() {
	ctx=$(grep '^context ' "$1")
	if [ "$(stated scalable)" = 1 ]; then
		grep "^pasid pasid=0x$(printf %x $(($(field "$ctx" RID_PASID)))) " "$1"
	else
		echo "$ctx"
	fi
}

if [ "$vendor" = vtd ]; then
	bad=
	mode=legacy
	[ "$(stated scalable)" = 1 ] && mode=scalable
	for d in $devs; do
		f=$vdir/0000:$d
		e=$(vtd_entry "$f")
		case $(head -n 1 "$f") in
		"device=0000:$d unit=vtd0 sid="*" mode=$mode rtaddr="*) ;;
		*) bad="$bad $d:header"; continue ;;
		esac
		if [ $mode = scalable ]; then
			[ "$(field "$e" PGTT)" = 0x4 ] || bad="$bad $d:PGTT=$(field "$e" PGTT)"
		else
			[ "$(field "$e" TT)" = 0x2 ] || bad="$bad $d:TT=$(field "$e" TT)"
		fi
		[ "$(field "$e" P)" = 1 ] || bad="$bad $d:P"
	done
	[ -z "$bad" ] && ok debugfs_vendor_default ||
		nok debugfs_vendor_default "not pass-through in $mode mode:$bad"

	# Fields against the raw words, by the specification's bit positions:
	# RTADDR's TTM 11:10; root (L)CTP 63:12; legacy context TT 3:2, AW
	# 66:64, DID 87:72; PASID entry AW 4:2, PGTT 8:6, DID 79:64.
	bad=
	for d in $devs; do
		f=$vdir/0000:$d
		head=$(head -n 1 "$f")
		root=$(grep '^root ' "$f")
		e=$(vtd_entry "$f")
		w0=$(raw "$e" 0) w1=$(raw "$e" 1)
		[ $(($(field "$head" ttm))) = $((($(field "$head" rtaddr) >> 10) & 3)) ] ||
			bad="$bad $d:ttm"
		ctp=CTP
		[ $mode = scalable ] && ctp=LCTP
		[ $(($(field "$root" $ctp))) = $(($(raw "$root" 0) & ~0xfff)) ] ||
			bad="$bad $d:$ctp"
		if [ $mode = scalable ]; then
			[ $(($(field "$e" PGTT))) = $(((w0 >> 6) & 7)) ] || bad="$bad $d:PGTT"
			[ $(($(field "$e" AW))) = $(((w0 >> 2) & 7)) ] || bad="$bad $d:AW"
			[ $(($(field "$e" DID))) = $((w1 & 0xffff)) ] || bad="$bad $d:DID"
		else
			[ $(($(field "$e" TT))) = $(((w0 >> 2) & 3)) ] || bad="$bad $d:TT"
			[ $(($(field "$e" AW))) = $((w1 & 7)) ] || bad="$bad $d:AW"
			[ $(($(field "$e" DID))) = $(((w1 >> 8) & 0xffff)) ] || bad="$bad $d:DID"
		fi
	done
	[ -z "$bad" ] && ok debugfs_vendor_fields ||
		nok debugfs_vendor_fields "named fields differ from the raw words:$bad"

	# One unit: one RTADDR; one identity domain: one domain id.
	rt=$(for d in $devs; do field "$(head -n 1 $vdir/0000:$d)" rtaddr; done | sort -u)
	dids=$(for d in $devs; do field "$(vtd_entry $vdir/0000:$d)" DID; done | sort -u)
	if [ "$(echo "$rt" | wc -l)" = 1 ] && [ $((rt)) != 0 ] &&
	   [ "$(echo "$dids" | wc -l)" = 1 ] && [ -n "$dids" ]; then
		ok debugfs_vendor_shared
	else
		nok debugfs_vendor_shared "rtaddr: $(echo $rt), identity DIDs: $(echo $dids)"
	fi
elif [ "$vendor" = smmu ]; then
	bad=
	for d in $devs; do
		f=$vdir/0000:$d
		head=$(head -n 1 "$f")
		ste=$(grep '^ste ' "$f")
		want=$(stated smmu_sids | tr ',' '\n' | sed -n "s/^$d=//p")
		case $head in
		"device=0000:$d unit=smmu0 sid="*) ;;
		*) bad="$bad $d:header"; continue ;;
		esac
		[ -n "$want" ] && [ $(($(field "$head" sid))) = $((want)) ] ||
			bad="$bad $d:sid=$(field "$head" sid),stated=$want"
		[ "$(field "$ste" V)" = 1 ] && [ "$(field "$ste" CONFIG)" = 0x4 ] ||
			bad="$bad $d:V=$(field "$ste" V),CONFIG=$(field "$ste" CONFIG)"
		grep -q '^cd ' "$f" && bad="$bad $d:a-CD-in-bypass"
	done
	[ -z "$bad" ] && ok debugfs_vendor_default ||
		nok debugfs_vendor_default "not a bypass STE:$bad"

	# Fields against the raw words, by the specification's bit positions:
	# V 0, Config 3:1, S1ContextPtr 51:6, SHCFG 109:108, S2VMID 143:128.
	bad=
	for d in $devs; do
		ste=$(grep '^ste ' "$vdir/0000:$d")
		w0=$(raw "$ste" 0) w1=$(raw "$ste" 1) w2=$(raw "$ste" 2)
		[ "$(field "$ste" V)" = $((w0 & 1)) ] || bad="$bad $d:V"
		[ $(($(field "$ste" CONFIG))) = $(((w0 >> 1) & 7)) ] || bad="$bad $d:CONFIG"
		[ $(($(field "$ste" S1CONTEXTPTR))) = $((w0 & 0xfffffffffffc0)) ] ||
			bad="$bad $d:S1CONTEXTPTR"
		[ $(($(field "$ste" SHCFG))) = $(((w1 >> 44) & 3)) ] || bad="$bad $d:SHCFG"
		[ $(($(field "$ste" S2VMID))) = $((w2 & 0xffff)) ] || bad="$bad $d:S2VMID"
	done
	[ -z "$bad" ] && ok debugfs_vendor_fields ||
		nok debugfs_vendor_fields "named fields differ from the raw words:$bad"

	# The stream table's shape the profile states, the same for every device.
	shape=linear
	[ "$(stated st_2lvl)" = 1 ] && shape=2-level
	got=$(for d in $devs; do field "$(head -n 1 $vdir/0000:$d)" strtab; done | sort -u)
	[ "$got" = $shape ] && ok debugfs_vendor_shared ||
		nok debugfs_vendor_shared "stream table: $(echo $got), stated $shape"
fi

echo "1..$N"
