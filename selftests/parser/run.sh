#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests/parser/run.sh: the self-test of scripts/tapparse.py, run on the
# host by 'make check' (no QEMU).  Prints TAP and ends with
# 'N passed, N failed'; exit status 0 only if every case passed.
#
# Each logs/NAME.log is a canned console log.  Its prefix says what the
# parser must conclude: pass-* must give exit status 0, fail-* exit status
# 1.  logs/NAME.expect (required for fail-*) lists substrings, one a line,
# that must all appear in the parser's verdict (--summary-only output, so
# the log's own lines can't match).  A few more cases check the output
# format: totals over several logs, a missing log, the tail of a log.

here=$(cd "$(dirname "$0")" && pwd)
parser=$here/../../scripts/tapparse.py
logdir=$here/logs

logs=("$logdir"/*.log)
extra_cases=4
n=0 passed=0 failed=0

echo "TAP version 13"
echo "1..$((${#logs[@]} + extra_cases))"

# verdict NAME OUTPUT [PROBLEM...]: print the result of one case.
verdict() {
	local name=$1 out=$2 line
	shift 2
	n=$((n + 1))
	if [ $# -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok $n parser_$name"
		return
	fi
	failed=$((failed + 1))
	for line in "$@"; do
		echo "# parser_$name: $line"
	done
	echo "# parser output:"
	while IFS= read -r line; do
		echo "#   $line"
	done <<< "$out"
	echo "not ok $n parser_$name"
}

parse() {
	python3 "$parser" "$@" 2>&1
}

# One case per canned log.
for log in "${logs[@]}"; do
	name=$(basename "$log" .log)
	expect=${log%.log}.expect
	problems=()
	case $name in
	pass-*) want=0 ;;
	fail-*) want=1 ;;
	*) want=none; problems+=("log name starts with neither pass- nor fail-") ;;
	esac
	out=$(parse --summary-only "$log")
	rc=$?
	[ "$rc" = "$want" ] || problems+=("exit status $rc, expected $want")
	if [ -f "$expect" ]; then
		while IFS= read -r text; do
			[ -n "$text" ] || continue
			grep -qF -- "$text" <<< "$out" || problems+=("verdict lacks '$text'")
		done < "$expect"
	elif [ "$want" = 1 ]; then
		problems+=("no $(basename "$expect") naming the expected reason")
	fi
	if [ "$want" = 0 ] && ! grep -qx '  ok' <<< "$out"; then
		problems+=("no '  ok' line")
	fi
	verdict "${name//-/_}" "$out" "${problems[@]}"
done

# All logs at once: one summary line each, and the last line adds them up.
out=$(parse --summary-only "${logs[@]}")
rc=$?
problems=()
[ "$rc" = 1 ] || problems+=("exit status $rc, expected 1")
summaries=$(grep -cE '^[^ ].*: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' <<< "$out")
[ "$summaries" = ${#logs[@]} ] ||
	problems+=("$summaries summary lines for ${#logs[@]} logs")
sum=$(awk '/^[^ ].*: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$/ {
		p += $(NF - 5); f += $(NF - 3); s += $(NF - 1)
	}
	END { printf "%d passed, %d failed", p, f; if (s) printf ", %d skipped", s }' <<< "$out")
last=$(tail -n 1 <<< "$out")
[ "$last" = "$sum" ] || problems+=("last line '$last', expected '$sum'")
verdict totals "$out" "${problems[@]}"

# Only passing logs: exit status 0 and no failure in the last line.
out=$(parse --summary-only "$logdir"/pass-*.log)
rc=$?
problems=()
[ "$rc" = 0 ] || problems+=("exit status $rc, expected 0")
grep -qE '^[0-9]+ passed, 0 failed(, [0-9]+ skipped)?$' <<< "$(tail -n 1 <<< "$out")" ||
	problems+=("last line does not say '0 failed'")
verdict all_pass "$out" "${problems[@]}"

# A missing log fails its profile, and the parser does not crash.
missing=$logdir/no-such-profile.log
out=$(parse "$missing")
rc=$?
problems=()
[ "$rc" = 1 ] || problems+=("exit status $rc, expected 1")
grep -qx 'no-such-profile: 0 passed, 1 failed, 0 skipped' <<< "$out" ||
	problems+=("no summary line for the missing log")
grep -qx '  log missing.*' <<< "$out" || problems+=("no 'log missing' reason")
[ "$(tail -n 1 <<< "$out")" = "0 passed, 1 failed" ] ||
	problems+=("last line is not '0 passed, 1 failed'")
verdict missing_log "$out" "${problems[@]}"

# A failed profile ends with the last lines of its log, without '\r'.
log=$logdir/fail-hang.log
out=$(parse --tail 3 "$log")
rc=$?
problems=()
[ "$rc" = 1 ] || problems+=("exit status $rc, expected 1")
want_tail=$(printf '  --- last 3 lines of %s ---\n' "$log"
	tail -n 3 "$log" | tr -d '\r' | sed 's/^/    /')
got_tail=$(tail -n 5 <<< "$out" | head -n 4)
[ "$got_tail" = "$want_tail" ] || problems+=("tail of the log not shown as expected")
verdict log_tail "$out" "${problems[@]}"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
