#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# host_*: what scripts/setup must never do to the host, checked after it
# ran: no kernel image installed, no foreign dpkg architecture, no arm64
# package, the host compiler still the native one, the headers unpacked
# rather than installed.  Prints TAP.

N=0
FAIL=0
ok() { N=$((N + 1)); echo "ok $N $1"; }
nok() { N=$((N + 1)); FAIL=1; echo "# $1: $2"; echo "not ok $N $1"; }

echo "TAP version 13"

imgs=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' 'linux-image-*' 2>/dev/null |
	awk '$1 ~ /^i/ { print $2 }')
[ -z "$imgs" ] && ok host_no_kernel_image || nok host_no_kernel_image "installed: $imgs"

foreign=$(dpkg --print-foreign-architectures)
[ -z "$foreign" ] && ok host_no_foreign_arch || nok host_no_foreign_arch "foreign: $foreign"

arm=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}:${Architecture}\n' 2>/dev/null |
	awk '$1 ~ /^i/ && $2 ~ /:arm64$/ { print $2 }')
[ -z "$arm" ] && ok host_no_arm64_package || nok host_no_arm64_package "$arm"

machine=$(gcc -dumpmachine 2>/dev/null)
case $machine in
x86_64-linux-gnu) ok host_native_compiler ;;
*) nok host_native_compiler "gcc -dumpmachine says '$machine'" ;;
esac

hdrs=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' 'linux-headers-*' 2>/dev/null |
	awk '$1 ~ /^i/ { print $2 }')
[ -z "$hdrs" ] && ok host_headers_not_installed ||
	nok host_headers_not_installed "installed: $hdrs"

echo "1..$N"
exit $FAIL
