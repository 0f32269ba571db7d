#!/usr/bin/env python3
"""The command-line contract: exit statuses, stdin, formats, error records,
atomic --output.  Prints one line per case and fails when any case fails."""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile

EXE = sys.argv[1]
failures = 0
cases = 0

REPORT = '一、基本情况\n全县小学适龄儿童入学率100%,初中巩固率98.6%。\n'


def run(args, stdin=b'', cwd=None):
    return subprocess.run([EXE] + args, input=stdin, capture_output=True, cwd=cwd)


def case(name, ok, detail=''):
    global failures, cases
    cases += 1
    if not ok:
        failures += 1
    print(f'{"ok  " if ok else "FAIL"} {name}{": " + detail if detail and not ok else ""}')


def records(out):
    return [json.loads(l) for l in out.decode('utf-8').splitlines() if l.strip()]


with tempfile.TemporaryDirectory() as tmp:
    good = os.path.join(tmp, 'good.txt')
    open(good, 'w', encoding='utf-8').write(REPORT)
    missing = os.path.join(tmp, 'missing.txt')

    p = run(['--help'])
    case('--help exits 0 and prints usage', p.returncode == 0 and b'Usage:' in p.stdout)
    p = run(['--version'])
    case('--version exits 0', p.returncode == 0 and b'eduextract' in p.stdout)
    p = run(['--no-such-option'])
    case('an unknown option exits 2', p.returncode == 2, str(p.returncode))
    p = run(['--format', 'xml', good])
    case('an unknown format exits 2', p.returncode == 2, str(p.returncode))
    p = run(['--jobs', '0', good])
    case('--jobs 0 exits 2', p.returncode == 2, str(p.returncode))

    p = run([], stdin=REPORT.encode('utf-8'))
    rs = records(p.stdout)
    case('no file reads stdin', p.returncode == 0 and len(rs) == 1 and rs[0]['source']['path'] == '-',
         p.stderr.decode()[:200])
    p = run(['-'], stdin=REPORT.encode('utf-8'))
    case('"-" reads stdin', p.returncode == 0 and len(records(p.stdout)) == 1)

    p = run([good])
    rs = records(p.stdout)
    case('a report gives one record', p.returncode == 0 and len(rs) == 1)
    figs = rs[0]['indicators'] if rs else []
    case('the first extraction finds 入学率 100%',
         any(f['name'].endswith('入学率') and f['value'] == 100 and f['unit'] == '%' for f in figs),
         json.dumps(figs, ensure_ascii=False)[:300])
    text = REPORT
    case('every span slices the original to raw',
         all(text[f['span']['start']:f['span']['end']] == f['raw'] for f in figs))

    p = run([good, missing, good])
    rs = records(p.stdout)
    case('a missing file gives an error record and the batch goes on',
         p.returncode == 1 and len(rs) == 3 and 'error' in rs[1] and
         rs[1]['source']['path'] == missing and 'error' not in rs[2],
         f'rc={p.returncode} n={len(rs)}')
    case('the failure is named on stderr', missing.encode() in p.stderr)

    p = run(['--format', 'json', good, good])
    try:
        arr = json.loads(p.stdout)
        ok = isinstance(arr, list) and len(arr) == 2
    except ValueError:
        ok = False
    case('--format json writes one array', ok and p.returncode == 0)

    p = run(['--format', 'csv', good])
    rows = list(csv.reader(io.StringIO(p.stdout.decode('utf-8'))))
    case('--format csv writes a header and one row per figure',
         p.returncode == 0 and rows and rows[0][0] == 'path' and len(rows) == 1 + len(figs),
         f'{len(rows)} rows for {len(figs)} figures')
    p = run(['--format', 'csv', '--csv-bom', good])
    case('--csv-bom starts with a BOM', p.stdout.startswith(b'\xef\xbb\xbf'))

    out = os.path.join(tmp, 'out.jsonl')
    p = run(['--output', out, good])
    case('--output writes the file', p.returncode == 0 and len(records(open(out, 'rb').read())) == 1)
    case('--output leaves no temporary file',
         sorted(os.listdir(tmp)) == ['good.txt', 'out.jsonl'], str(os.listdir(tmp)))

    d = os.path.join(tmp, 'dir', 'sub')
    os.makedirs(d)
    open(os.path.join(d, 'b.txt'), 'w', encoding='utf-8').write(REPORT)
    open(os.path.join(tmp, 'dir', 'a.txt'), 'w', encoding='utf-8').write(REPORT)
    open(os.path.join(tmp, 'dir', 'skip.md'), 'w', encoding='utf-8').write(REPORT)
    p = run([os.path.join(tmp, 'dir')])
    paths = [r['source']['path'] for r in records(p.stdout)]
    case('a directory is walked recursively for *.txt in sorted order',
         [os.path.basename(x) for x in paths] == ['a.txt', 'b.txt'], str(paths))

    p = run(['--max-bytes', '10', good])
    rs = records(p.stdout)
    case('--max-bytes gives an error record and exit 1',
         p.returncode == 1 and len(rs) == 1 and rs[0].get('error', {}).get('code') == 'too_large')

    p = run(['--encoding', 'NO-SUCH-CHARSET', good])
    rs = records(p.stdout)
    case('an unknown --encoding gives an error record',
         p.returncode == 1 and len(rs) == 1 and 'error' in rs[0])

    p = run(['--jobs', '257', good])
    case('--jobs over 256 exits 2', p.returncode == 2, str(p.returncode))
    p = run(['--print-rules-dir'])
    case('--print-rules-dir prints the rules directory in use',
         p.returncode == 0 and os.path.isfile(os.path.join(p.stdout.decode().strip(), 'indicators.conf')),
         p.stdout.decode()[:200])
    p = run(['--rules', tmp, '--print-rules-dir'])
    case('--rules wins over the environment', p.stdout.decode().strip() == tmp)

    p = run(['--check-rules', os.environ.get('EDUEXTRACT_RULES', 'rules')])
    case('--check-rules accepts the shipped rules', p.returncode == 0, p.stderr.decode()[:300])

    bad = os.path.join(tmp, 'badrules')
    os.makedirs(bad)
    src = os.environ.get('EDUEXTRACT_RULES', 'rules')
    for f in os.listdir(src):
        if f.endswith('.conf'):
            open(os.path.join(bad, f), 'wb').write(open(os.path.join(src, f), 'rb').read())
    with open(os.path.join(bad, 'boilerplate.conf'), 'a', encoding='utf-8') as f:
        f.write('\n[broken]\npattern = 第(\\d+页\n')
    p = run(['--check-rules', bad])
    msg = p.stderr.decode('utf-8')
    case('--check-rules names file:line:col of a bad regex',
         p.returncode != 0 and 'boilerplate.conf:' in msg and 'bad regex' in msg, msg[:300])

with tempfile.TemporaryDirectory() as tmp:
    tail = os.path.join(tmp, 'tail.txt')
    open(tail, 'w', encoding='utf-8').write(REPORT + '您可能关注的文档\n某校工作总结 入学率99%\n')
    p = run([tail])
    rs = records(p.stdout)
    checks = [c for r in rs for c in r['checks'] if c['code'] == 'tail_dropped']
    case('a page tail set aside by a rest rule is reported, with its size',
         len(checks) == 1 and 'The last 23 characters' in checks[0]['message'] and
         all('99' not in str(f['value']) for r in rs for f in r['indicators']),
         json.dumps(checks, ensure_ascii=False))

print(f'{cases - failures} of {cases} CLI cases passed')
sys.exit(1 if failures else 0)
