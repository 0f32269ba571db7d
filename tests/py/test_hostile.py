#!/usr/bin/env python3
"""Hostile inputs (issue 9): each yields a valid record or an error record,
in bounded time and memory, and never costs another file its record.

Memory is bounded with RLIMIT_AS and time with a generous timeout: these are
limits that only a hang or a runaway allocation can hit, not speed tests."""
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile

EXE = sys.argv[1]
ROOT = sys.argv[2]
ASAN = 'asan' in os.path.basename(os.path.dirname(os.path.abspath(EXE)))
MEM_LIMIT = 1 << 30          # 1 GiB of address space (ignored under ASan)
TIMEOUT = 300 if ASAN else 120
failures = cases = 0


def limit():
    if not ASAN:
        resource.setrlimit(resource.RLIMIT_AS, (MEM_LIMIT, MEM_LIMIT))


def run(args, **kw):
    return subprocess.run([EXE, '--quiet'] + args, capture_output=True, timeout=TIMEOUT,
                          preexec_fn=limit, **kw)


def case(name, ok, detail=''):
    global failures, cases
    cases += 1
    failures += not ok
    print(f'{"ok  " if ok else "FAIL"} {name}' + (f': {detail}' if detail and not ok else ''))
    sys.stdout.flush()


def one_record(path, name, want_error=None):
    try:
        p = run([path])
    except subprocess.TimeoutExpired:
        case(name, False, 'timed out')
        return None
    lines = p.stdout.decode('utf-8', 'replace').splitlines()
    try:
        recs = [json.loads(l) for l in lines]
    except ValueError as e:
        case(name, False, f'invalid JSON: {e}')
        return None
    ok = p.returncode in (0, 1) and len(recs) >= 1 and all(r['source']['path'] == path for r in recs)
    if want_error is not None:
        ok = ok and (('error' in recs[0]) == want_error)
    case(name, ok, f'rc={p.returncode} records={len(recs)} {p.stderr.decode()[:200]}')
    return recs


tmp = tempfile.mkdtemp()
try:
    def write(name, data):
        path = os.path.join(tmp, name)
        with open(path, 'wb') as f:
            f.write(data)
        return path

    rng = random.Random(20261122)
    files = {
        'empty': b'',
        'bom_only': b'\xef\xbb\xbf',
        'utf16_bom_only': b'\xff\xfe',
        'random_bytes': bytes(rng.randrange(256) for _ in range(200000)),
        'nul_inside': '一、概况\n入学率100%'.encode() + b'\x00\x00' + '巩固率99%。'.encode(),
        'truncated_utf8': '入学率达到百分之九十九'.encode()[:-1],
        'truncated_gb18030': '入学率达到百分之九十九，巩固率为百分之九十八'.encode('gb18030')[:-1],
        'truncated_big5': '入學率達到百分之九十九，鞏固率為百分之九十八'.encode('big5')[:-1],
        'truncated_utf16': '\ufeff入学率100%'.encode('utf-16-le')[:-1],
        'mixed_charsets': '一、概况\n入学率100%。\n'.encode() + '巩固率98%。\n'.encode('gb18030') +
                          '師生比1:17。\n'.encode('big5'),
        'long_line_10mb': ('全县小学入学率100%,' * 700000).encode()[:10_000_000],
        'nested_headings': ''.join(f'{"(" * (i % 7)}{i % 50 + 1}、标题{i}\n' for i in range(20000)).encode(),
        'digits_100k': ('学生' + '9' * 100000 + '人').encode(),
        'ratio_colons': ('师生比' + '1:' * 50000).encode(),
        'percent_words': ('合格率' + '百分之' * 30000).encode(),
        # Title lines each followed by too little text to start a report.
        'title_lines': ''.join(f'{chr(0x4e00 + i % 9000)}{chr(0x4e00 + i // 9000)}校工作计划\n短句。\n'
                               for i in range(200000)).encode(),
        # More reports than a file may hold apart (DOC_MAX_REPORTS, 5000).
        'many_reports': ''.join(f'{chr(0x4e00 + i % 9000)}{chr(0x4e00 + i // 9000)}校工作计划\n' +
                                '我校认真落实上级部署,扎实推进各项工作,办学条件明显改善。' * 4 + '\n'
                                for i in range(5200)).encode(),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = write(name + '.txt', data)
        recs = one_record(paths[name], f'{name} gives a record')
        if name == 'empty' and recs:
            case('empty file gives a record with no figures',
                 'error' in recs[0] or recs[0]['indicators'] == [])
        if name.startswith('truncated') and recs and 'error' not in recs[0]:
            codes = {c['code'] for r in recs for c in r['checks']}
            case(f'{name} reports decode_replaced', 'decode_replaced' in codes, str(codes))
        if name == 'many_reports' and recs and 'error' not in recs[0]:
            codes = [c['code'] for c in recs[-1]['checks']]
            case('a file over the report limit keeps 5000 reports, the last marked report_limit',
                 len(recs) == 5000 and 'report_limit' in codes, f'{len(recs)} {codes}')
        if name == 'digits_100k' and recs and 'error' not in recs[0]:
            vals = [f['value'] for r in recs for f in r['indicators']]
            case('a 100,000-digit number is not read as a finite wrong value',
                 all(v is None or v < 1e300 for v in vals), str(vals)[:200])

    # A batch with hostile files keeps every file's record, in order.
    order = [paths['random_bytes'], os.path.join(tmp, 'missing.txt'), paths['empty'],
             paths['nul_inside'], paths['mixed_charsets']]
    p = run(order)
    recs = [json.loads(l) for l in p.stdout.decode('utf-8').splitlines()]
    got = []
    for r in recs:
        if not got or got[-1] != r['source']['path']:
            got.append(r['source']['path'])
    case('a batch with bad files keeps every file in order', got == order and p.returncode == 1,
         f'{got} rc={p.returncode}')

    # A rules file with a catastrophic regex: stopped by the match limit,
    # reported as a check, the file still gets its record.
    rules = os.path.join(tmp, 'rules')
    shutil.copytree(os.path.join(ROOT, 'rules'), rules)
    with open(os.path.join(rules, 'boilerplate.conf'), 'a', encoding='utf-8') as f:
        f.write('\n[catastrophic]\npattern = ^(a|aa)+$\nscope = line\n')
    evil = write('evil.txt', ('一、概况\n' + 'a' * 5000 + 'b\n入学率100%。\n').encode())
    try:
        p = subprocess.run([EXE, '--quiet', '--rules', rules, evil], capture_output=True,
                           timeout=TIMEOUT, preexec_fn=limit)
        recs = [json.loads(l) for l in p.stdout.decode('utf-8').splitlines()]
        codes = {c['code'] for r in recs for c in r.get('checks', [])}
        case('a catastrophic regex is stopped and reported as regex_limit',
             len(recs) >= 1 and 'error' not in recs[0] and 'regex_limit' in codes,
             f'rc={p.returncode} codes={codes}')
    except subprocess.TimeoutExpired:
        case('a catastrophic regex is stopped and reported as regex_limit', False, 'timed out')
finally:
    shutil.rmtree(tmp)

print(f'{cases - failures} of {cases} hostile-input cases passed')
sys.exit(1 if failures else 0)
