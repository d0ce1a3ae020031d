#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Where a TCG guest's time went: a host profile of QEMU, by guest function.

Usage: perfguest.py PERF_SCRIPT KSYMS [--around FUNC] [--top N]

PERF_SCRIPT is the output of `perf script -F time,ip,sym,dso` for a QEMU
run with -perfmap (each translated guest instruction is then a host symbol
"guest-0x<pc>"); KSYMS holds the guest's /proc/kallsyms lines of the same
boot.  Every sample in translated code is charged to the guest function
that holds its pc ("G name"), every other one to QEMU's or the host's
function ("H name").  --around FUNC keeps only the half-second bins in
which FUNC has samples (e.g. one bench row's loop).  scripts/bench-perf
runs it.
"""
import argparse
import bisect
import collections
import re


def lines(path):
    """The whitespace-split lines of @path that have three fields or more."""
    with open(path, errors='replace') as f:
        for line in f:
            fields = line.split()
            if len(fields) >= 3:
                yield fields


def load_syms(path):
    syms = []
    for fields in lines(path):
        try:
            addr = int(fields[0], 16)
        except ValueError:
            continue
        syms.append((addr, ' '.join(fields[2:4])))
    syms.sort()
    return [a for a, _ in syms], [n for _, n in syms]


def samples(path, addrs, names):
    """(time, who) per sample."""
    for fields in lines(path):
        try:
            t = float(fields[0].rstrip(':'))
        except ValueError:
            continue
        m = re.match(r'guest-0x([0-9a-f]+)', fields[2])
        if m:
            pc = int(m.group(1), 16)
            i = bisect.bisect_right(addrs, pc) - 1
            name = names[i] if i >= 0 and pc - addrs[i] < 0x40000 \
                else hex(pc)
            yield t, 'G ' + name
        else:
            dso = fields[3].strip('()') if len(fields) > 3 else ''
            yield t, 'H %s (%s)' % (fields[2], dso.split('/')[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('script')
    ap.add_argument('ksyms')
    ap.add_argument('--around')
    ap.add_argument('--top', type=int, default=40)
    a = ap.parse_args()
    addrs, names = load_syms(a.ksyms)
    rows = list(samples(a.script, addrs, names))
    if a.around:
        bins = {int(t * 2) for t, who in rows
                if who.startswith('G ' + a.around)}
        rows = [(t, who) for t, who in rows if int(t * 2) in bins]
    count = collections.Counter(who for _, who in rows)
    total = len(rows)
    if not total:
        print('perfguest: no samples%s' %
              (' around ' + a.around if a.around else ''))
        return
    guest = sum(v for k, v in count.items() if k.startswith('G '))
    print('%d samples, %.1f%% in translated guest code' %
          (total, 100.0 * guest / total))
    for who, n in count.most_common(a.top):
        print('%6.2f%%  %s' % (100.0 * n / total, who))


if __name__ == '__main__':
    main()
