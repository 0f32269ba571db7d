#!/usr/bin/env python3
"""Accuracy of eduextract on the project's own sample reports.

Usage: test_samples_accuracy.py EDUEXTRACT SOURCE_ROOT [--verbose]

Every samples/NAME.txt with a hand annotation samples/NAME.gold.json (same
format as ../shared/gold) is run through the tool and scored exactly as
tests/eval/accuracy.py scores ../shared: its functions are imported, not
copied.  Prints precision / recall / F1 per kind, heading F1 and level
accuracy, then fails when a metric is below its floor in
samples/thresholds.json.  Floors start at what the tool reached when they
were set; raise a floor you improved to just under the new value, never
lower one.

Also fails when a gold file is broken (a `raw` that is not in the decoded
text, a value on a redacted figure) or when a sample has no gold file;
samples/audit_* files are another engineer's and are scored only when they
have a .gold.json."""
import glob
import json
import os
import sys

CODECS = {'utf-8': 'utf-8-sig', 'gb18030': 'gb18030', 'big5': 'big5hkscs',
          'utf-16le': 'utf-16-le', 'utf-16be': 'utf-16-be'}


def gold_problems(txt, gold):
    """Consistency of one hand annotation with its own text."""
    out = []
    enc = gold.get('encoding', 'utf-8').lower()
    if enc not in CODECS:
        return [f'unknown encoding {enc!r}']
    try:
        text = open(txt, 'rb').read().decode(CODECS[enc])
    except UnicodeDecodeError as e:
        return [f'does not decode as {enc}: {e}']
    for r in gold['reports']:
        for f in r['indicators']:
            if f['raw'] not in text:
                out.append(f'raw not in text: {f["raw"]!r}')
            if f['redacted'] and f['value'] is not None:
                out.append(f'redacted figure with a value: {f["raw"]!r}')
            if not f['redacted'] and f['value'] is None:
                out.append(f'figure without value and not redacted: {f["raw"]!r}')
        if r['first_chars'] and r['first_chars'] not in text:
            out.append(f'first_chars not in text: {r["first_chars"]!r}')
    return out


def check_floors(path, results, label):
    """Print each metric of `results` against its floor in the JSON file at
    `path`; return the list of failures (also for unknown metric names)."""
    failed = []
    floors = json.load(open(path, encoding='utf-8'))
    for key, floor in floors.items():
        if key.startswith('_'):
            continue
        got = results.get(key)
        if got is None:
            failed.append(f'{os.path.basename(path)}: unknown metric {key!r}')
            continue
        ok = got + 1e-9 >= floor
        print(f'{"ok  " if ok else "FAIL"} {label}.{key} = {got:.3f} (floor {floor:.3f})')
        if not ok:
            failed.append(f'{label}.{key} = {got:.3f} is below its floor {floor:.3f}')
    return failed


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    verbose = '--verbose' in sys.argv
    exe, root = os.path.abspath(args[0]), os.path.abspath(args[1])
    sys.path.insert(0, os.path.join(root, 'tests', 'eval'))
    import accuracy  # tests/eval/accuracy.py: the scorer used for ../shared

    sdir = os.path.join(root, 'samples')
    failed = []
    txts = sorted(glob.glob(os.path.join(sdir, '*.txt')))
    golds = sorted(glob.glob(os.path.join(sdir, '*.gold.json')))
    for t in txts:
        name = os.path.basename(t)
        if not name.startswith('audit_') and not os.path.exists(t[:-4] + '.gold.json'):
            failed.append(f'{name} has no hand annotation {name[:-4]}.gold.json')
    if not golds:
        print('no samples/*.gold.json found')
        return 1

    total = accuracy.Score()
    enc_ok = 0
    print(f'   {"sample":<28} {"enc":<8} {"reports":>7} {"gold":>5} {"pred":>5} {"found":>5}  {"F1":>5}  heads')
    for gpath in golds:
        gold = json.load(open(gpath, encoding='utf-8'))
        txt = os.path.join(sdir, gold['file'])
        if not os.path.exists(txt):
            failed.append(f'{os.path.basename(gpath)}: {gold["file"]} missing')
            continue
        for p in gold_problems(txt, gold):
            failed.append(f'{gold["file"]}: gold: {p}')
        s = accuracy.score_file(exe, txt, gold)
        total.add(s)
        # The charset the tool reported, against the annotated one.
        recs = [json.loads(line) for line in
                __import__('subprocess').run([exe, '--quiet', txt], capture_output=True)
                .stdout.decode('utf-8').splitlines() if line.strip()]
        got_enc = recs[0]['source'].get('encoding', '?') if recs else '?'
        same_enc = got_enc.lower().replace('-', '') == gold['encoding'].lower().replace('-', '')
        enc_ok += same_enc
        f1 = accuracy.prf(s.any_tp, s.any_gold, s.any_pred)[2]
        print(f'   {gold["file"]:<28} {got_enc + ("" if same_enc else "!"):<8} '
              f'{("ok" if s.reports_ok else "WRONG"):>7} {s.any_gold:>5} {s.any_pred:>5} {s.any_tp:>5}  '
              f'{f1:5.2f}  {s.h_tp}/{s.h_gold} (pred {s.h_pred})')

    results = accuracy.report('samples', total)
    results['reports'] = total.reports_ok / total.files if total.files else 0.0
    results['encoding'] = enc_ok / total.files if total.files else 0.0
    print(f'   report counts right: {results["reports"]:.3f}, encodings right: {results["encoding"]:.3f}')

    limit = None if verbose else 40
    for label, items in (('MISS ', total.misses), ('EXTRA', total.extras)):
        for i, (name, f) in enumerate(items):
            if limit is not None and i >= limit:
                print(f'{label} ... {len(items) - limit} more (--verbose lists all)')
                break
            print(f'{label} {name}: {f["kind"]:<10} {f["value"]!s:>10} {f["unit"]!s:<5} {f["raw"]!r}')
    for i, h in enumerate(total.h_misses):
        if limit is not None and i >= limit:
            print(f'HMISS ... {len(total.h_misses) - limit} more')
            break
        print(f'HMISS {h[0]}: level {h[1]} {h[2]} {h[3][:30]}')

    failed += check_floors(os.path.join(sdir, 'thresholds.json'), results, 'samples')
    for f in failed:
        print('FAIL', f)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
