#!/usr/bin/env python3
"""Accuracy of eduextract on the holdout reports in tests/holdout.

Usage: test_holdout_accuracy.py EDUEXTRACT SOURCE_ROOT [--verbose]

tests/holdout/NAME.txt are reports written for this test only, in styles and
wordings the rules were not tuned on, each with a hand annotation
NAME.gold.json in the format of ../shared/gold.  They measure how the tool
does on reports it has never seen (tests/holdout/README.md records the first,
untuned measurement).  Scoring is exactly that of tests/eval/accuracy.py,
whose functions are imported (as tests/py/test_samples_accuracy.py does), and
the gold files are checked with test_samples_accuracy.gold_problems.

Prints P/R/F1 per kind, core tier, all kinds, heading F1 and level accuracy,
then every missed and extra figure and heading (the first 40 of each without
--verbose), and fails when a metric is below its floor in
tests/holdout/thresholds.json or a gold file is broken.  Never tune a rule on
a text of this set: fix the general cause, then raise the floors."""
import glob
import json
import os
import subprocess
import sys


def wrong_kinds(accuracy, exe, txt, gold):
    """Matched figures whose kind differs from the gold's, as printable lines."""
    proc = subprocess.run([exe, '--quiet', txt], capture_output=True)
    recs = [json.loads(x) for x in proc.stdout.decode('utf-8').splitlines() if x.strip()]
    recs = [r for r in recs if 'error' not in r]
    if not recs:
        return []
    text = accuracy.decoded(txt, recs[0]['source']['encoding'])
    g_figs = [f for r in gold['reports'] for f in r['indicators']]
    p_figs = [f for r in recs for f in r['indicators']]
    out = []
    for gi, pi in accuracy.match_figures(text, g_figs, p_figs):
        g, p = g_figs[gi], p_figs[pi]
        if g['kind'] != p['kind']:
            out.append((os.path.basename(txt), f'{g["kind"]} -> {p["kind"]:<10} {p["id"]:<24} {p["raw"]!r}'))
    return out


def score_set(set_name):
    """Score tests/SET_NAME (a holdout set) as this file's docstring says; the
    exit status.  test_holdout2_accuracy.py calls it for tests/holdout2."""
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    verbose = '--verbose' in sys.argv
    exe, root = os.path.abspath(args[0]), os.path.abspath(args[1])
    sys.path.insert(0, os.path.join(root, 'tests', 'eval'))
    sys.path.insert(0, os.path.join(root, 'tests', 'py'))
    import accuracy  # tests/eval/accuracy.py: the scorer used for ../shared
    from test_samples_accuracy import check_floors, gold_problems

    hdir = os.path.join(root, 'tests', set_name)
    failed = []
    txts = sorted(glob.glob(os.path.join(hdir, '*.txt')))
    golds = sorted(glob.glob(os.path.join(hdir, '*.gold.json')))
    for t in txts:
        if not os.path.exists(t[:-4] + '.gold.json'):
            failed.append(f'{os.path.basename(t)} has no hand annotation')
    if not golds:
        print(f'no tests/{set_name}/*.gold.json found')
        return 1

    total = accuracy.Score()
    kinds = []
    print(f'   {"report":<26} {"reports":>7} {"gold":>5} {"pred":>5} {"found":>5}  {"F1":>5}  heads')
    for gpath in golds:
        gold = json.load(open(gpath, encoding='utf-8'))
        txt = os.path.join(hdir, gold['file'])
        if not os.path.exists(txt):
            failed.append(f'{os.path.basename(gpath)}: {gold["file"]} missing')
            continue
        for p in gold_problems(txt, gold):
            failed.append(f'{gold["file"]}: gold: {p}')
        s = accuracy.score_file(exe, txt, gold)
        total.add(s)
        kinds += wrong_kinds(accuracy, exe, txt, gold)
        f1 = accuracy.prf(s.any_tp, s.any_gold, s.any_pred)[2]
        print(f'   {gold["file"]:<26} {("ok" if s.reports_ok else "WRONG"):>7} {s.any_gold:>5} '
              f'{s.any_pred:>5} {s.any_tp:>5}  {f1:5.2f}  {s.h_tp}/{s.h_gold} (pred {s.h_pred})')

    results = accuracy.report(set_name, total)
    results['reports'] = total.reports_ok / total.files if total.files else 0.0
    print(f'   report counts right: {results["reports"]:.3f}')

    def fig(f):
        return f'{f["kind"]:<10} {f["value"]!s:>10} {f["unit"]!s:<5} {f["raw"]!r}'
    limit = None if verbose else 40
    sections = (('MISS  ', [(n, fig(f)) for n, f in total.misses]),
                ('EXTRA ', [(n, fig(f)) for n, f in total.extras]),
                ('KIND  ', kinds),
                ('HMISS ', [(n, f'level {lvl} {m!r} {t[:30]!r}') for n, lvl, m, t in total.h_misses]),
                ('HEXTRA', [(n, f'level {lvl} {m!r} {t[:30]!r}') for n, lvl, m, t in total.h_extras]))
    for label, items in sections:
        for i, (name, line) in enumerate(items):
            if limit is not None and i >= limit:
                print(f'{label} ... {len(items) - limit} more (--verbose lists all)')
                break
            print(f'{label} {name}: {line}')

    failed += check_floors(os.path.join(hdir, 'thresholds.json'), results, set_name)
    for f in failed:
        print('FAIL', f)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(score_set('holdout'))
