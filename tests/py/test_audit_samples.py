#!/usr/bin/env python3
"""Audit samples: run eduextract on every samples/audit_*.txt and compare the
checks it raises with samples/audit_NAME.checks.json.

    python3 tests/py/test_audit_samples.py BUILD/eduextract SOURCE_ROOT

A .checks.json lists every check the sample must raise, and nothing else:

    {"about": "...",
     "clean": true,                    # optional: no error or warning at all
     "checks": [
       {"code": "rate_above_100",      # required
        "severity": "error",           # optional: must match
        "at": "巩固率101.3%",           # optional: in the check's span text or in
                                       #   the raw text of one of its indicators
        "message": "师生比",            # optional: in the check's message
        "needs": ["-0.5%"],            # optional: raw texts the matcher must
        "why": "..."}]}                #   produce before this check can fire

Each check raised must match one expected entry (fires nowhere else) and each
entry must match one check (fires where it should).  An entry with "needs"
whose figures the matcher does not produce yet is reported as pending instead
of failing; once the figures appear, it is enforced like any other.
Exit 0 pass, 1 fail."""
import glob
import json
import os
import subprocess
import sys


def indicator_raws(records):
    return [ind.get('raw') or '' for rec in records for ind in rec.get('indicators', [])]


def check_texts(text, rec, chk):
    """Texts an expectation's "at" may be found in: the span, the raws."""
    out = []
    span = chk.get('span')
    if span:
        out.append(text[span['start']:span['end']])
    inds = rec.get('indicators', [])
    for i in chk.get('indicators', []):
        if 0 <= i < len(inds):
            out.append(inds[i].get('raw') or '')
    return out


def matches(want, text, rec, chk):
    if chk['code'] != want['code']:
        return False
    if 'severity' in want and chk['severity'] != want['severity']:
        return False
    if 'message' in want and want['message'] not in chk['message']:
        return False
    if 'at' in want and not any(want['at'] in t for t in check_texts(text, rec, chk)):
        return False
    return True


def run_sample(exe, sample):
    name = os.path.basename(sample)[:-len('.txt')]
    spec_path = sample[:-len('.txt')] + '.checks.json'
    problems, notes = [], []
    if not os.path.exists(spec_path):
        return [f'{name}: missing {os.path.basename(spec_path)}'], notes
    with open(spec_path, encoding='utf-8') as f:
        spec = json.load(f)
    with open(sample, encoding='utf-8') as f:
        text = f.read()
    proc = subprocess.run([exe, sample], capture_output=True)
    if proc.returncode != 0:
        return [f'{name}: eduextract exited {proc.returncode}: '
                + proc.stderr.decode('utf-8', 'replace')[:300]], notes
    records = [json.loads(line) for line in proc.stdout.decode('utf-8').splitlines() if line]
    got = [(rec, chk) for rec in records for chk in rec.get('checks', [])]
    raws = indicator_raws(records)

    used = [False] * len(got)
    for want in spec['checks']:
        hit = None
        for k, (rec, chk) in enumerate(got):
            if not used[k] and matches(want, text, rec, chk):
                hit = k
                break
        label = want['code'] + (f" at {want['at']}" if 'at' in want else '')
        if hit is not None:
            used[hit] = True
            continue
        missing = [n for n in want.get('needs', []) if not any(n in r for r in raws)]
        if missing:
            notes.append(f'{name}: PENDING {label}: the matcher does not produce '
                         f'{missing} yet ({want.get("why", "no reason given")})')
        else:
            problems.append(f'{name}: expected {label} ({want.get("severity", "any")}), '
                            'not raised')
    for k, (rec, chk) in enumerate(got):
        if not used[k]:
            problems.append(f"{name}: unexpected {chk['code']} ({chk['severity']}): "
                            f"{chk['message']}")
    if spec.get('clean'):
        for rec, chk in got:
            if chk['severity'] in ('error', 'warning'):
                problems.append(f"{name}: a clean report raised {chk['code']} "
                                f"({chk['severity']})")
    return problems, notes


def main():
    if len(sys.argv) < 3:
        print('usage: test_audit_samples.py EDUEXTRACT SOURCE_ROOT')
        return 2
    exe, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    samples = sorted(glob.glob(os.path.join(root, 'samples', 'audit_*.txt')))
    if not samples:
        print('no samples/audit_*.txt found')
        return 1
    failed = 0
    for sample in samples:
        problems, notes = run_sample(exe, sample)
        for n in notes:
            print(n)
        for p in problems:
            print('FAIL', p)
        if problems:
            failed += 1
        else:
            print(f'ok {os.path.basename(sample)}')
    print(f'{len(samples) - failed} of {len(samples)} audit samples pass')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
