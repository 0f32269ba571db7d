#!/usr/bin/env python3
"""Accuracy of eduextract against the hand annotations in ../shared.

Runs the tool over ../shared/corpus and ../shared/corpus2, matches its
figures and headings with ../shared/gold and ../shared/corpus2/gold, prints
precision / recall / F1 per kind, field accuracies and heading F1 / level
accuracy for each set and for both together, and fails when a figure falls
below the floors in thresholds.json (raised as the extractor improves).

Matching (documented in docs/EVALUATION.md):
  * figures are matched within one file.  A gold figure and an extracted one
    match when their values agree (both null for placeholders, else within
    1e-6 relative) and the extracted span overlaps an occurrence of the gold
    `raw` text in the decoded file.  Each figure matches at most once, the
    largest overlap first.
  * for the per-kind scores a match counts only when both have that kind.
  * the annotations list levels, not changes: an extracted figure with
    change: true that matches no gold figure is not counted as an extra.
  * headings match by marker (full-width folded) and the first characters
    of their title, in text order; level accuracy is over matched headings.

Usage: accuracy.py EDUEXTRACT SHARED_DIR [--verbose] [--headings] [--set corpus|corpus2]
--headings lists missed headings (and matched ones with a wrong level) and extra ones.
Exit 77 (skipped) when SHARED_DIR is missing."""
import json
import os
import subprocess
import sys
import unicodedata

KINDS = ['rate', 'ratio', 'per_capita', 'count', 'amount', 'area', 'other']
CORE = ['rate', 'ratio', 'per_capita']

# Traditional forms of units seen in the gold; units compare simplified.
UNIT_FOLD = str.maketrans({'個': '个', '臺': '台', '間': '间', '冊': '册', '棟': '栋', '畝': '亩',
                           '盞': '盏', '項': '项', '條': '条', '張': '张', '萬': '万'})


def fold(s):
    return unicodedata.normalize('NFKC', s or '').replace(' ', '').replace('\u3000', '')


def unit_key(u):
    return (u or '').translate(UNIT_FOLD)


def same_value(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def occurrences(text, raw):
    out, i = [], text.find(raw)
    while i >= 0 and len(out) < 50:
        out.append((i, i + len(raw)))
        i = text.find(raw, i + 1)
    return out


def overlap(a, b):
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_figures(text, gold, pred):
    """Greedy one-to-one matching; returns list of (gi, pi)."""
    cands = []
    for gi, g in enumerate(gold):
        occ = occurrences(text, g['raw'])
        for pi, p in enumerate(pred):
            if not same_value(g['value'], p['value']):
                continue
            ps = (p['span']['start'], p['span']['end'])
            ov = max((overlap(ps, o) for o in occ), default=0)
            if ov > 0:
                cands.append((-ov, gi, pi))
    cands.sort()
    used_g, used_p, pairs = set(), set(), []
    for _, gi, pi in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return pairs


def flatten(sections, out):
    for s in sections:
        out.append(s)
        flatten(s['children'], out)
    return out


def match_headings(gold, pred):
    """Headings in text order: same folded marker and title start."""
    pairs, j = [], 0
    used = set()
    for gi, g in enumerate(gold):
        gm, gt = fold(g['marker']), fold(g['text'])[:6]
        for pi in range(len(pred)):
            if pi in used:
                continue
            p = pred[pi]
            pt = fold(p['title'])[:6]
            if fold(p['marker']) == gm and (pt[:len(gt)] == gt or gt[:len(pt)] == pt) and (pt or not gt):
                pairs.append((gi, pi))
                used.add(pi)
                break
    return pairs


def decoded(path, encoding):
    codec = {'UTF-8': 'utf-8-sig', 'GB18030': 'gb18030', 'BIG5': 'big5hkscs',
             'UTF-16LE': 'utf-16-le', 'UTF-16BE': 'utf-16-be'}.get(encoding, 'utf-8-sig')
    return open(path, 'rb').read().decode(codec, errors='replace')


class Score:
    def __init__(self):
        self.tp = {k: 0 for k in KINDS}
        self.gold = {k: 0 for k in KINDS}
        self.pred = {k: 0 for k in KINDS}
        self.any_tp = self.any_gold = self.any_pred = 0
        self.fields = {f: [0, 0] for f in ('unit', 'qualifier', 'redacted', 'claimed',
                                           'standard', 'section', 'kind')}
        self.h_tp = self.h_gold = self.h_pred = self.h_level = 0
        self.reports_ok = self.files = 0
        self.misses = []
        self.extras = []
        self.h_misses = []
        self.h_extras = []

    def add(self, other):
        for k in KINDS:
            self.tp[k] += other.tp[k]
            self.gold[k] += other.gold[k]
            self.pred[k] += other.pred[k]
        for f in self.fields:
            self.fields[f][0] += other.fields[f][0]
            self.fields[f][1] += other.fields[f][1]
        for a in ('any_tp', 'any_gold', 'any_pred', 'h_tp', 'h_gold', 'h_pred', 'h_level',
                  'reports_ok', 'files'):
            setattr(self, a, getattr(self, a) + getattr(other, a))
        self.misses += other.misses
        self.extras += other.extras
        self.h_misses += other.h_misses
        self.h_extras += other.h_extras


def prf(tp, g, p):
    pr = tp / p if p else (1.0 if not g else 0.0)
    rc = tp / g if g else 1.0
    f = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
    return pr, rc, f


def score_file(exe, txt, gold):
    proc = subprocess.run([exe, '--quiet', txt], capture_output=True)
    recs = [json.loads(l) for l in proc.stdout.decode('utf-8').splitlines() if l.strip()]
    recs = [r for r in recs if 'error' not in r]
    s = Score()
    s.files = 1
    s.reports_ok = int(len(recs) == len(gold['reports']))
    if not recs:
        text = ''
    else:
        text = decoded(txt, recs[0]['source']['encoding'])
    g_figs = [f for r in gold['reports'] for f in r['indicators']]
    p_figs = [f for r in recs for f in r['indicators']]
    pairs = match_figures(text, g_figs, p_figs)
    # The annotations list levels, never changes (比上年增加120人, 提高2个百分
    # 点): an extracted figure marked change: true that matches no gold figure
    # is outside what the gold annotates, so it is not counted as an extra.
    matched = {pi for _, pi in pairs}
    keep = [i for i, p in enumerate(p_figs) if i in matched or not p.get('change')]
    remap = {old: new for new, old in enumerate(keep)}
    p_figs = [p_figs[i] for i in keep]
    pairs = [(gi, remap[pi]) for gi, pi in pairs]
    s.any_tp, s.any_gold, s.any_pred = len(pairs), len(g_figs), len(p_figs)
    for g in g_figs:
        s.gold[g['kind']] += 1
    for p in p_figs:
        s.pred[p['kind']] += 1
    for gi, pi in pairs:
        g, p = g_figs[gi], p_figs[pi]
        if g['kind'] == p['kind']:
            s.tp[g['kind']] += 1
        checks = {
            'kind': g['kind'] == p['kind'],
            'unit': unit_key(g['unit']) == unit_key(p['unit']),
            'qualifier': g['qualifier'] == p['qualifier'],
            'redacted': g['redacted'] == p['redacted'],
            'claimed': g['claimed'] == p['claimed'],
            'standard': (g['standard'] is None) == (p['standard'] is None) and
                        (g['standard'] is None or same_value(g['standard']['value'], p['standard']['value'])),
            'section': [fold(x) for x in g['section']] == [fold(x) for x in p['section']],
        }
        for f, ok in checks.items():
            s.fields[f][0] += ok
            s.fields[f][1] += 1
    matched_g = {gi for gi, _ in pairs}
    matched_p = {pi for _, pi in pairs}
    name = os.path.basename(txt)
    s.misses = [(name, g) for i, g in enumerate(g_figs) if i not in matched_g]
    s.extras = [(name, p) for i, p in enumerate(p_figs) if i not in matched_p]
    g_heads = [h for r in gold['reports'] for h in r['headings']]
    p_heads = [h for r in recs for h in flatten(r['sections'], [])]
    hp = match_headings(g_heads, p_heads)
    s.h_tp, s.h_gold, s.h_pred = len(hp), len(g_heads), len(p_heads)
    s.h_level = sum(1 for gi, pi in hp if g_heads[gi]['level'] == p_heads[pi]['level'])
    hg = {gi: pi for gi, pi in hp}
    hpp = {pi for _, pi in hp}
    for gi, g in enumerate(g_heads):
        if gi not in hg:
            s.h_misses.append((name, g['level'], g['marker'], g['text']))
        elif g['level'] != p_heads[hg[gi]]['level']:
            s.h_misses.append((name, f"{g['level']}!={p_heads[hg[gi]]['level']}", g['marker'], g['text']))
    s.h_extras = [(name, p['level'], p['marker'], p['title'])
                  for pi, p in enumerate(p_heads) if pi not in hpp]
    return s


def report(title, s):
    print(f'== {title}: {s.files} files, report counts right in {s.reports_ok}')
    print(f'   {"kind":<11} {"gold":>5} {"pred":>5} {"tp":>5}  {"P":>6} {"R":>6} {"F1":>6}')
    out = {}
    for k in KINDS:
        p, r, f = prf(s.tp[k], s.gold[k], s.pred[k])
        out[k] = f
        print(f'   {k:<11} {s.gold[k]:>5} {s.pred[k]:>5} {s.tp[k]:>5}  {p:6.3f} {r:6.3f} {f:6.3f}')
    tp = sum(s.tp[k] for k in CORE)
    p, r, f = prf(tp, sum(s.gold[k] for k in CORE), sum(s.pred[k] for k in CORE))
    out['core'] = f
    print(f'   {"core tier":<11} {"":>5} {"":>5} {tp:>5}  {p:6.3f} {r:6.3f} {f:6.3f}')
    tp = sum(s.tp.values())
    p, r, f = prf(tp, sum(s.gold.values()), sum(s.pred.values()))
    out['all'] = f
    print(f'   {"all kinds":<11} {sum(s.gold.values()):>5} {sum(s.pred.values()):>5} {tp:>5}  {p:6.3f} {r:6.3f} {f:6.3f}')
    p, r, f = prf(s.any_tp, s.any_gold, s.any_pred)
    out['found'] = f
    print(f'   {"found (any kind)":<17}       {s.any_tp:>5}  {p:6.3f} {r:6.3f} {f:6.3f}')
    fields = ', '.join(f'{k} {v[0] / v[1]:.3f}' if v[1] else f'{k} -' for k, v in s.fields.items())
    print(f'   fields on matched figures: {fields}')
    p, r, f = prf(s.h_tp, s.h_gold, s.h_pred)
    lvl = s.h_level / s.h_tp if s.h_tp else 0.0
    out['heading'] = f
    out['level'] = lvl
    print(f'   headings: gold {s.h_gold} pred {s.h_pred} matched {s.h_tp}  '
          f'P {p:.3f} R {r:.3f} F1 {f:.3f}  level accuracy {lvl:.3f}')
    return out


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    verbose = '--verbose' in sys.argv
    exe, shared = args[0], args[1]
    if not os.path.isdir(os.path.join(shared, 'corpus')):
        print(f'{shared}/corpus not found: skipped')
        return 77
    sets = [('corpus', os.path.join(shared, 'corpus'), os.path.join(shared, 'gold')),
            ('corpus2', os.path.join(shared, 'corpus2'), os.path.join(shared, 'corpus2', 'gold'))]
    only = [a.split('=', 1)[1] for a in sys.argv if a.startswith('--set=')]
    total = Score()
    results = {}
    for name, tdir, gdir in sets:
        if only and name not in only:
            continue
        if not os.path.isdir(gdir):
            continue
        s = Score()
        for gf in sorted(os.listdir(gdir)):
            if not gf.endswith('.json'):
                continue
            gold = json.load(open(os.path.join(gdir, gf), encoding='utf-8'))
            s.add(score_file(exe, os.path.join(tdir, gold['file']), gold))
        results[name] = report(name, s)
        total.add(s)
    results['both'] = report('both sets', total)
    if verbose:
        for name, g in total.misses:
            print(f'MISS  {name}: {g["kind"]:<10} {g["value"]!s:>10} {g["unit"]!s:<5} {g["raw"]!r}')
        for name, p in total.extras:
            print(f'EXTRA {name}: {p["kind"]:<10} {p["value"]!s:>10} {p["unit"]!s:<5} {p["raw"]!r}')
    if '--headings' in sys.argv:
        for name, lvl, m, t in total.h_misses:
            print(f'HMISS  {name}: level {lvl} {m!r} {t[:40]!r}')
        for name, lvl, m, t in total.h_extras:
            print(f'HEXTRA {name}: level {lvl} {m!r} {t[:40]!r}')
    floors = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                         'thresholds.json')))
    failed = 0
    for key, floor in floors.items():
        if key.startswith('_'):
            continue
        set_name, metric = key.split('.')
        got = results.get(set_name, {}).get(metric)
        if got is None:
            continue
        ok = got + 1e-9 >= floor
        failed += not ok
        print(f'{"ok  " if ok else "FAIL"} {key} = {got:.3f} (floor {floor:.3f})')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
