#!/usr/bin/env python3
"""Accuracy of eduextract on the second holdout set, tests/holdout2.

Usage: test_holdout2_accuracy.py EDUEXTRACT SOURCE_ROOT [--verbose]

tests/holdout2/NAME.txt are six reports written after the first holdout set
(tests/holdout) had been tuned on, in styles that set does not cover, each with
a hand annotation NAME.gold.json in the format of ../shared/gold.  The first
measurement, taken with no change to code or rules, is in
tests/holdout2/README.md.  Nothing is copied here: the scorer is
tests/eval/accuracy.py, check_floors and gold_problems come from
tests/py/test_samples_accuracy.py and wrong_kinds from
tests/py/test_holdout_accuracy.py.

Prints P/R/F1 per kind, core tier, all kinds, found, heading F1 and level
accuracy, then every missed and extra figure and heading (the first 40 of each
without --verbose), and fails when a metric is below its floor in
tests/holdout2/thresholds.json or a gold file is broken.  Never tune a rule on
a text of this set: fix the general cause, then raise the floors."""
import glob
import json
import os
import sys


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    verbose = '--verbose' in sys.argv
    exe, root = os.path.abspath(args[0]), os.path.abspath(args[1])
    sys.path.insert(0, os.path.join(root, 'tests', 'eval'))
    sys.path.insert(0, os.path.join(root, 'tests', 'py'))
    import accuracy  # tests/eval/accuracy.py: the scorer used for ../shared
    from test_samples_accuracy import check_floors, gold_problems
    from test_holdout_accuracy import wrong_kinds

    hdir = os.path.join(root, 'tests', 'holdout2')
    failed = []
    for t in sorted(glob.glob(os.path.join(hdir, '*.txt'))):
        if not os.path.exists(t[:-4] + '.gold.json'):
            failed.append(f'{os.path.basename(t)} has no hand annotation')
    golds = sorted(glob.glob(os.path.join(hdir, '*.gold.json')))
    if not golds:
        print('no tests/holdout2/*.gold.json found')
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
        failed += [f'{gold["file"]}: gold: {p}' for p in gold_problems(txt, gold)]
        s = accuracy.score_file(exe, txt, gold)
        total.add(s)
        kinds += wrong_kinds(accuracy, exe, txt, gold)
        f1 = accuracy.prf(s.any_tp, s.any_gold, s.any_pred)[2]
        print(f'   {gold["file"]:<26} {("ok" if s.reports_ok else "WRONG"):>7} {s.any_gold:>5} '
              f'{s.any_pred:>5} {s.any_tp:>5}  {f1:5.2f}  {s.h_tp}/{s.h_gold} (pred {s.h_pred})')

    results = accuracy.report('holdout2', total)
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

    failed += check_floors(os.path.join(hdir, 'thresholds.json'), results, 'holdout2')
    for f in failed:
        print('FAIL', f)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
