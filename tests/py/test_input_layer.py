#!/usr/bin/env python3
"""The input layer over every file of ../shared/corpus and corpus2 (issue 3).

For each file: the UTF-8 original, GB18030, UTF-16LE and UTF-16BE (with and
without BOM), Big5 when the text is traditional and representable, and a
copy with full-width digits.  Asserts that
  * source.encoding names the charset used;
  * every figure's span slices the decoded original to its raw text;
  * figures (name, value, span) are the same in every charset (the
    full-width copy: same names, values and spans, since spans count code
    points and folding keeps one character per character);
  * report counts equal the gold's;
  * no figure or heading lies inside a line of site boilerplate;
  * truncated, mixed and invalid bytes in each charset give a record with a
    decode_replaced check, never a failure.
Prints report-count accuracy and encodings detected right.
Usage: test_input_layer.py EDUEXTRACT SOURCE_ROOT  (exit 77 without ../shared)"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

EXE, ROOT = sys.argv[1], sys.argv[2]
SHARED = os.environ.get('EDX_SHARED', os.path.join(ROOT, '..', 'shared'))
if not os.path.isdir(os.path.join(SHARED, 'corpus')):
    print('no ../shared corpus: skipped')
    sys.exit(77)

CODECS = {'UTF-8': 'utf-8', 'GB18030': 'gb18030', 'BIG5': 'big5', 'UTF-16LE': 'utf-16-le',
          'UTF-16BE': 'utf-16-be'}
# Lines of site furniture: nothing may be read from them.
BOILER = re.compile(r'^(?:ID:\d+|大小:[\d.]+ ?KB|页数:\d+页|浏览记录|.*VIP免费|\d+/\d+|'
                    r'\d、当您付费下载文档后.*|.*此文档下载收益归作者所有.*)$', re.M)

failures = []


def fail(msg):
    failures.append(msg)
    print('FAIL', msg)


def run(path, *args):
    proc = subprocess.run([EXE, '-q', *args, path], capture_output=True)
    recs = [json.loads(l) for l in proc.stdout.decode('utf-8').splitlines() if l.strip()]
    return proc.returncode, recs


def figures(recs):
    return [(f['name'], f['value'], f['span']['start'], f['span']['end'])
            for r in recs for f in r.get('indicators', [])]


def check_spans(label, text, recs):
    for r in recs:
        if 'error' in r:
            fail(f'{label}: error record {r["error"]}')
            continue
        for f in r['indicators']:
            s, e = f['span']['start'], f['span']['end']
            if text[s:e] != f['raw']:
                fail(f'{label}: span {s}:{e} slices {text[s:e]!r}, raw {f["raw"]!r}')
                return


def boiler_ranges(text):
    return [(m.start(), m.end()) for m in BOILER.finditer(text)]


def flat(sections):
    for s in sections:
        yield s
        yield from flat(s['children'])


def main():
    files = sorted(glob.glob(os.path.join(SHARED, 'corpus', '*.txt')) +
                   glob.glob(os.path.join(SHARED, 'corpus2', '*.txt')))
    tmp = tempfile.mkdtemp()
    counts_ok = counts_n = enc_ok = enc_n = 0
    for path in files:
        base = os.path.splitext(os.path.basename(path))[0]
        text = open(path, 'rb').read().decode('utf-8-sig')
        rc, recs = run(path)
        check_spans(base, text, recs)
        ref = figures(recs)
        gold = os.path.join(SHARED, 'gold', base + '.json')
        if not os.path.exists(gold):
            gold = os.path.join(SHARED, 'corpus2', 'gold', base + '.json')
        if os.path.exists(gold):
            want = len(json.load(open(gold, encoding='utf-8'))['reports'])
            counts_n += 1
            if len(recs) == want:
                counts_ok += 1
            else:
                fail(f'{base}: {len(recs)} reports, gold {want}')
        for lo, hi in boiler_ranges(text):
            for r in recs:
                for f in r.get('indicators', []):
                    if f['span']['start'] < hi and f['span']['end'] > lo:
                        fail(f'{base}: figure {f["raw"]!r} inside boilerplate {text[lo:hi]!r}')
                for s in flat(r.get('sections', [])):
                    if lo <= s['span']['start'] < hi:
                        fail(f'{base}: heading {s["marker"]} inside boilerplate {text[lo:hi]!r}')
        variants = []
        for enc in ('GB18030', 'UTF-16LE', 'UTF-16BE', 'BIG5'):
            try:
                data = text.encode(CODECS[enc])
            except UnicodeEncodeError:
                continue
            if enc == 'BIG5' and not re.search('[學師與國會這為發]', text):
                continue  # Big5 only for the traditional-character files
            variants.append((enc, data))
        variants.append(('UTF-16LE', b'\xff\xfe' + text.encode('utf-16-le')))
        variants.append(('UTF-16BE', b'\xfe\xff' + text.encode('utf-16-be')))
        for enc, data in variants:
            p = os.path.join(tmp, f'{base}.{enc}')
            open(p, 'wb').write(data)
            rc, got = run(p)
            enc_n += 1
            encs = {r.get('source', {}).get('encoding') for r in got}
            if encs == {enc}:
                enc_ok += 1
            else:
                fail(f'{base}: {enc} detected as {encs}')
                continue
            if figures(got) != ref:
                fail(f'{base}: {enc} gives other figures ({len(figures(got))} vs {len(ref)})')
            check_spans(f'{base}.{enc}', data.decode(CODECS[enc]).lstrip('\ufeff'), got)
        # Full-width digits: one character for one, so the same spans.
        wide = text.translate({ord(c): 0xFF10 + i for i, c in enumerate('0123456789')})
        p = os.path.join(tmp, base + '.wide')
        open(p, 'w', encoding='utf-8').write(wide)
        rc, got = run(p)
        if figures(got) != ref:
            fail(f'{base}: full-width digits give other figures')
        check_spans(base + '.wide', wide, got)

    # Damaged bytes in each charset: a record and a decode_replaced check.
    sample = '一、概况\n全县小学入学率100%，巩固率98.6%，师生比1:17。\n'
    TRAD = ('一、概況\n全縣國小學齡兒童入學率100%，鞏固率98.6%，師生比1:17。學校發展與'
            '國民教育會議認為這個縣的學校達到標準。\n' * 3)
    damaged = {
        'UTF-8': [sample.encode() + b'\xe5\xad', b'\xff' + sample.encode(),
                  sample.encode()[:7] + b'\x80\x80' + sample.encode()[7:]],
        'GB18030': [sample.encode('gb18030') + b'\x81', sample.encode('gb18030')[:9] +
                    b'\x81\x20' + sample.encode('gb18030')[9:]],
        'UTF-16LE': [b'\xff\xfe' + sample.encode('utf-16-le') + b'\x41',
                     b'\xff\xfe' + sample.encode('utf-16-le')[:8] + b'\x00\xdc' +
                     sample.encode('utf-16-le')[8:]],
        'UTF-16BE': [b'\xfe\xff' + sample.encode('utf-16-be') + b'\x41'],
        'BIG5': [TRAD.encode('big5') + b'\xa4', TRAD.encode('big5')[:12] + b'\xff' +
                 TRAD.encode('big5')[12:]],
    }
    for enc, items in damaged.items():
        for k, data in enumerate(items):
            p = os.path.join(tmp, f'damaged{k}.{enc}')
            open(p, 'wb').write(data)
            rc, got = run(p)
            if not got or 'error' in got[0]:
                fail(f'damaged {enc} #{k}: no record ({rc})')
                continue
            codes = [c['code'] for c in got[0]['checks']]
            if 'decode_replaced' not in codes:
                fail(f'damaged {enc} #{k}: no decode_replaced check, encoding '
                     f'{got[0]["source"]["encoding"]}')
            if not any(f['value'] == 98.6 for f in got[0]['indicators']):
                fail(f'damaged {enc} #{k}: the text after the bad bytes was lost')
    # Forcing an encoding.
    p = os.path.join(tmp, 'forced.txt')
    open(p, 'wb').write(sample.encode('gb18030'))
    rc, got = run(p, '--encoding', 'GB18030')
    if not got or got[0].get('source', {}).get('encoding') != 'GB18030':
        fail('--encoding GB18030 not used')
    # Binary input is refused with an error record.
    open(p, 'wb').write(bytes(range(256)) * 8)
    rc, got = run(p)
    if not got or 'error' not in got[0]:
        fail('binary input gave no error record')

    print(f'report counts right: {counts_ok}/{counts_n}; encodings detected right: '
          f'{enc_ok}/{enc_n}; failures: {len(failures)}')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
