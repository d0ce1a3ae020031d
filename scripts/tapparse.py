#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge the serial console logs of liommu test guests.

usage: scripts/tapparse.py [--tail N] [--summary-only] LOG [LOG ...]

Each LOG is the console of one boot of one profile (the profile's name is
the file name without '.log').  Lines lose their '\\r', terminal escape
sequences and printk timestamp ('[    2.345678] ') before they are read.

TAP.  A 'KTAP version N' or 'TAP version N' line opens a document at its
indentation; nested documents (subtests) are indented further, 4 spaces a
level.  Results are 'ok N [- ]name[ # directive]' or 'not ok N ...'; a
directive starting with SKIP or TODO (any case) makes the result skipped.
Lines starting with '#' are diagnostics.  Only leaf results count: the
result line that follows a closed subtest is its parent and is no case of
its own, except that a parent 'not ok' whose subtest had no failure at all
counts as one failed case.  Every document needs exactly one plan '1..N',
first or last, and results numbered 1..N in order; '1..0' (as in
'1..0 # SKIP reason') is an empty document and counts as one skipped.  A
plan given after results ends its document.  Results without any document
are counted but are a failure too.

Profile failures, one reason line each: every failed case; plan and
numbering problems; no TAP at all; no 'LIOMMU-END' marker; a
'LIOMMU-TIMEOUT' or 'LIOMMU-QEMU-EXIT' marker; 'Bail out!'; kernel problem
reports (panic, BUG, WARNING, Oops, corruption, refcount, slab, KASAN,
UBSAN, hung task, RCU stall, or a bare 'Call Trace:').  Kernel reports are
looked for only in lines that are not TAP, so test names and diagnostics
never trigger them; 'Call Trace:' and 'hung_task' lines close after
another report are part of it.  A missing log is one failure.

Output: per profile '<profile>: P passed, F failed, S skipped', where F is
the number of reasons (failed cases plus other failures), then '  ok' or
the reasons indented, then the last N lines of the log.  The last line is
'P passed, F failed[, S skipped]' over all profiles.  Exit status 0 iff
nothing failed.
"""

import argparse
import os
import re
import sys

ESCAPES = re.compile(r'\x1b(?:\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[@-Z\\-_]|[a-z=>78])')
CONTROLS = re.compile(r'[\x00-\x08\x0b-\x1f\x7f]')
TIMESTAMP = re.compile(r'^\[\s*\d+\.\d+\](?:\[\s*[A-Z]?\d+\])? ?')

HEADER = re.compile(r'^(\s*)(K?TAP) version \d+\s*$')
PLAN = re.compile(r'^(\s*)1\.\.(\d+)\s*(?:#.*)?$')
RESULT = re.compile(r'^(\s*)(not )?ok\b(?:\s+(\d+))?(?:\s+-)?(?:\s+([^#\s].*?))?'
                    r'(?:\s+#\s*(.*?))?\s*$')
DIAG = re.compile(r'^(\s*)#\s*(.*?)\s*$')
SUBTEST = re.compile(r'^Subtest:\s*(.*)$')
SKIPPING = re.compile(r'^(skip|todo)', re.I)
BAIL = re.compile(r'^\s*Bail out!\s*(.*)$')
MARKER = re.compile(r'^LIOMMU-(BEGIN|END|TIMEOUT|QEMU-EXIT)\b[:\s]*(.*)$')

# Headings of kernel problem reports, tried on the stripped line.
KERNEL_PROBLEM = re.compile('|'.join([
    r'^Kernel panic\b', r'^BUG:', r'^WARNING:', r'(?:^|Internal error: )Oops\b',
    r'^Unable to handle kernel\b', r'\bgeneral protection fault\b',
    r'\blist_(?:add|del) corruption\b', r'\brefcount_t:', r'\bkernel BUG at\b',
    r'^BUG \S+ \(.*\):',                    # slab: 'BUG kmalloc-64 (...): ...'
    r'^SLUB: (?!HWalign=|Genslabs=)',       # but not the boot-time banner
    r'\bObject already free\b', r'\bPoison overwritten\b', r'\bKASAN:', r'\bUBSAN:',
    r'\bINFO: task \S+ blocked for more than\b',
    r'\bINFO: rcu_\w+ (?:self-)?detected (?:expedited )?stall',
    r'^unreferenced object 0x', r'\bkmemleak: \d+ new suspected memory leaks',
]))
# Parts of a report; a problem of their own only without a heading nearby.
KERNEL_TRAILER = re.compile(r'^Call Trace:|\bhung_task')
TRAILER_WINDOW = 60         # lines after a heading that still belong to it
MAX_KERNEL_REASONS = 10


def clean(raw):
    """A console line as read: no escapes, no control characters."""
    return CONTROLS.sub('', ESCAPES.sub('', raw.replace('\r', '')))


def results(n):
    return f'{n} result' + ('' if n == 1 else 's')


class Doc:
    """One TAP document (or subtest) being read."""

    def __init__(self, indent, lineno, kind, parent, name=None, outside=False):
        self.indent, self.lineno, self.kind = indent, lineno, kind
        self.parent, self.name, self.outside = parent, name, outside
        self.plans, self.plan, self.results = 0, None, 0
        self.numbers, self.bad_numbers = set(), False
        self.bad = 0            # failures inside, subtests included
        self.child = None       # closed subtest waiting for its parent line
        self.diag = None        # first diagnostic since the last result

    def label(self):
        if self.name:
            return f'subtest "{self.name}" (line {self.lineno})'
        return f'{self.kind} document at line {self.lineno}'

    def path(self, leaf):
        names, doc = [leaf], self
        while doc:
            if doc.name:
                names.append(doc.name)
            doc = doc.parent
        return '/'.join(reversed(names))


class Profile:
    """The verdict on one log."""

    def __init__(self, path):
        self.path = path
        base = os.path.basename(path)
        self.name = base[:-4] if base.endswith('.log') else base
        self.passed = self.skipped = self.kernel_reasons = 0
        self.reasons, self.lines, self.stack, self.markers = [], [], [], {}
        self.pending_name = None    # (indent, name) of a '# Subtest:' line
        self.seen_tap = False
        self.last_heading = None    # line of the last kernel report heading

    def fail(self, reason, doc=None):
        self.reasons.append(reason)
        while doc:
            doc.bad += 1
            doc = doc.parent

    # --- documents -----------------------------------------------------

    def open_doc(self, indent, lineno, kind, outside=False):
        parent = self.stack[-1] if self.stack else None
        pending, self.pending_name = self.pending_name, None
        name = pending[1] if pending and pending[0] == indent else None
        self.stack.append(Doc(indent, lineno, kind, parent, name, outside))
        return self.stack[-1]

    def close_docs(self, indent):
        """End every document indented deeper than indent."""
        while self.stack and self.stack[-1].indent > indent:
            doc = self.stack.pop()
            self.finish(doc)
            if doc.parent:
                doc.parent.child = doc

    def finish(self, doc):
        if doc.outside:
            return
        if doc.plans == 0:
            self.fail(f'{doc.label()}: missing plan', doc)
        elif doc.results < doc.plan:
            self.fail(f'{doc.label()}: short plan: 1..{doc.plan} planned, '
                      f'only {results(doc.results)}', doc)
        elif doc.results > doc.plan:
            self.fail(f'{doc.label()}: 1..{doc.plan} planned, but '
                      f'{results(doc.results)}', doc)

    def doc_at(self, indent, lineno, what, number=None):
        """The document a plan or result at indent belongs to."""
        self.close_docs(indent)
        top = self.stack[-1] if self.stack else None
        if top and top.indent == indent:
            if not (number == 1 and top.plans and top.results >= top.plan):
                return top
            # numbering starts again after a complete document: the
            # document has ended, and this result has no header
            self.close_docs(indent - 1)
        if self.stack:      # a subtest without a version line
            return self.open_doc(indent, lineno, self.stack[-1].kind)
        doc = self.open_doc(indent, lineno, 'TAP', outside=True)
        self.fail(f'{what} outside a TAP document (line {lineno})', doc)
        return doc

    # --- lines ---------------------------------------------------------

    def header(self, indent, kind, lineno):
        self.seen_tap = True
        self.close_docs(indent - 1)
        self.open_doc(indent, lineno, kind)

    def plan_line(self, indent, count, lineno):
        self.seen_tap = True
        doc = self.doc_at(indent, lineno, 'plan')
        doc.plans += 1
        if doc.plans == 2:
            self.fail(f'{doc.label()}: more than one plan (line {lineno})', doc)
        if doc.plans > 1:
            return
        doc.plan = count
        if count == 0:
            self.skipped += 1
        if doc.results:     # a closing plan ends the document
            self.close_docs(indent - 1)

    def result(self, indent, failed, number, name, comment, lineno):
        self.seen_tap = True
        doc = self.doc_at(indent, lineno, 'result', number)
        doc.results += 1
        if (number is not None and number != doc.results
                and not doc.bad_numbers and not doc.outside):
            doc.bad_numbers = True
            kind = 'duplicate' if number in doc.numbers else 'out-of-order'
            self.fail(f'{doc.label()}: {kind} test number {number}, '
                      f'expected {doc.results} (line {lineno})', doc)
        doc.numbers.add(number if number is not None else doc.results)
        name = name or f'#{doc.results}'
        skipped = bool(comment and SKIPPING.match(comment))
        why = comment or doc.diag
        why = f' -- {why}' if why else ''
        doc.diag = None
        child, doc.child = doc.child, None
        if child:           # the parent line of a subtest
            if failed and not skipped and child.bad == 0:
                self.fail(f'not ok: {doc.path(name)}: subtest failed though '
                          f'all its cases passed{why}', doc)
        elif skipped:
            self.skipped += 1
        elif failed:
            self.fail(f'not ok: {doc.path(name)}{why}', doc)
        else:
            self.passed += 1

    def diagnostic(self, indent, text):
        top = self.stack[-1] if self.stack else None
        if m := SUBTEST.match(text):
            if top and top.indent == indent and not top.name and not top.results:
                top.name = m.group(1)
            else:
                self.pending_name = (indent, m.group(1))
        elif top and top.indent == indent and text and top.diag is None:
            top.diag = text

    def other(self, line, lineno):
        text = line.strip()
        if m := MARKER.match(text):
            self.markers.setdefault(m.group(1), (lineno, text, m.group(2)))
            return
        if m := BAIL.match(text):
            self.fail(f'bail out at line {lineno}: {m.group(1) or "(no reason)"}')
            return
        if KERNEL_PROBLEM.search(text):
            self.last_heading = lineno
        elif not (KERNEL_TRAILER.search(text) and (
                self.last_heading is None
                or lineno - self.last_heading > TRAILER_WINDOW)):
            return
        self.kernel_reasons += 1
        if self.kernel_reasons <= MAX_KERNEL_REASONS:
            self.fail(f'kernel problem at line {lineno}: {text[:160]}')

    def parse(self):
        try:
            with open(self.path, encoding='utf-8', errors='replace',
                      newline='') as f:
                self.lines = [clean(l) for l in f.read().split('\n')]
        except OSError as e:
            self.fail(f'log missing ({e.strerror})')
            return
        if self.lines and self.lines[-1] == '':
            self.lines.pop()
        for lineno, raw in enumerate(self.lines, 1):
            line = TIMESTAMP.sub('', raw, count=1)
            if m := HEADER.match(line):
                self.header(len(m.group(1)), m.group(2), lineno)
            elif m := PLAN.match(line):
                self.plan_line(len(m.group(1)), int(m.group(2)), lineno)
            elif m := RESULT.match(line):
                number = int(m.group(3)) if m.group(3) else None
                self.result(len(m.group(1)), bool(m.group(2)), number,
                            m.group(4), m.group(5), lineno)
            elif m := DIAG.match(line):
                self.diagnostic(len(m.group(1)), m.group(2))
            else:
                self.other(line, lineno)
        self.close_docs(-1)
        self.finish_log()

    def finish_log(self):
        extra = self.kernel_reasons - MAX_KERNEL_REASONS
        if extra > 0:
            self.fail(f'... and {extra} more kernel problem lines')
        if not self.seen_tap:
            self.fail('no tests ran: no TAP in the log')
        if 'END' not in self.markers:
            self.fail('guest did not finish: no LIOMMU-END marker')
        if 'TIMEOUT' in self.markers:
            lineno, text, _ = self.markers['TIMEOUT']
            self.fail(f'guest hung: killed by time limit (line {lineno}: {text})')
        if 'QEMU-EXIT' in self.markers:
            lineno, _, code = self.markers['QEMU-EXIT']
            self.fail(f'QEMU exited with status {code or "?"} (line {lineno})')

    def report(self, tail):
        print(f'{self.name}: {self.passed} passed, {len(self.reasons)} failed, '
              f'{self.skipped} skipped')
        if not self.reasons:
            print('  ok')
            return
        for reason in self.reasons:
            print(f'  {reason}')
        shown = self.lines[-tail:] if tail > 0 else []
        if shown:
            print(f'  --- last {len(shown)} lines of {self.path} ---')
            for line in shown:
                print(f'    {line}'.rstrip())


def main(argv=None):
    ap = argparse.ArgumentParser(
        description='Judge liommu guest console logs (TAP/KTAP, markers, '
                    'kernel reports).')
    ap.add_argument('--tail', type=int, default=40, metavar='N',
                    help='show the last N lines of a failed log (default 40)')
    ap.add_argument('--summary-only', action='store_true',
                    help='show no log lines, only the verdicts')
    ap.add_argument('logs', nargs='+', metavar='LOG')
    args = ap.parse_args(argv)
    tail = 0 if args.summary_only else args.tail
    sys.stdout.reconfigure(errors='replace')

    passed = failed = skipped = 0
    for path in args.logs:
        profile = Profile(path)
        profile.parse()
        profile.report(tail)
        passed += profile.passed
        failed += len(profile.reasons)
        skipped += profile.skipped
    print(f'{passed} passed, {failed} failed'
          + (f', {skipped} skipped' if skipped else ''))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
