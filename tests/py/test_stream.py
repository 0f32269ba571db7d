#!/usr/bin/env python3
"""--jobs 1 writes each record as the library makes it (edx_extract_*_each):
a volume of thousands of reports gives the bytes the pool (--jobs 2) gives,
in every format, with the same messages on stderr in the same place among
the records, the same exit status and --summary, and its peak memory does
not grow with the records it has written.

    python3 test_stream.py BUILD/eduextract SOURCE_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile

EXE = sys.argv[1]
failures = 0
cases = 0


def case(name, ok, detail=''):
    global failures, cases
    cases += 1
    if not ok:
        failures += 1
    print(f'{"ok  " if ok else "FAIL"} {name}{": " + str(detail)[:400] if detail and not ok else ""}')


def report(i):
    """A small report of our own, different for every i; one after another
    they make a volume, each title line starting the next report."""
    return (f'第{i}号学校{2018 + i % 6}年度教育工作总结\n'
            f'一、基本情况\n全校共有学生{300 + i}人,教职工{20 + i % 30}人。\n'
            f'二、主要成绩\n(一)普及水平\n适龄儿童入学率{90 + i % 10}.{i % 10}%,'
            f'初中巩固率{95 + i % 5}%,达到省定标准。\n'
            f'(二)办学条件\n生均图书{20 + i % 17}册,师生比1:{12 + i % 9}。\n'
            f'三、存在问题\n部分教室面积偏小,平均班额{40 + i % 15}人。\n')


def run(args, **kw):
    return subprocess.run([EXE] + args, capture_output=True, **kw)


def summary_line(err):
    """--summary's line without its timing, which differs run to run."""
    lines = [l for l in err.decode().splitlines() if l.startswith('files ')]
    return lines[-1].split(' MB in ')[0] if lines else None


with tempfile.TemporaryDirectory() as tmp:
    volume = os.path.join(tmp, 'volume.txt')
    open(volume, 'w', encoding='utf-8').write(''.join(report(i) for i in range(4000)))
    small = os.path.join(tmp, 'small.txt')
    open(small, 'w', encoding='utf-8').write(''.join(report(i) for i in range(40)))
    missing = os.path.join(tmp, 'missing.txt')
    binary = os.path.join(tmp, 'binary.txt')
    open(binary, 'wb').write(bytes([0xFF, 1, 2, 3, 4, 5, 6, 7]) * 64)

    # ----- the volume is split, and every record says so -----
    p = run(['--jobs', '1', volume])
    recs = [json.loads(l) for l in p.stdout.decode().splitlines()]
    case('the volume gives one record per report', p.returncode == 0 and len(recs) == 4000,
         (p.returncode, len(recs)))
    case('each record has its report_index and the whole report_count, the first one too',
         all(r['source']['report_index'] == i and r['source']['report_count'] == 4000
             for i, r in enumerate(recs)))

    # ----- --jobs 1 (streamed) writes what --jobs 2 (collected) writes -----
    batch = [small, missing, volume, binary, small, missing]
    for fmt in (['--format', 'jsonl'], ['--format', 'json'], ['--format', 'json', '--pretty'],
                ['--format', 'csv'], ['--format', 'csv', '--csv-bom']):
        name = ' '.join(fmt[1:])
        one = run(fmt + ['--summary', '--jobs', '1'] + batch)
        two = run(fmt + ['--summary', '--jobs', '2'] + batch)
        case(f'{name}: --jobs 1 writes the bytes --jobs 2 writes',
             one.stdout == two.stdout and len(one.stdout) > 1000000,
             (len(one.stdout), len(two.stdout)))
        case(f'{name}: the same messages on stderr, --summary and exit status 1',
             one.stderr.count(b'eduextract: ') == 3 and one.returncode == two.returncode == 1 and
             summary_line(one.stderr) == summary_line(two.stderr) and
             one.stderr.split(b'\nfiles ')[0] == two.stderr.split(b'\nfiles ')[0],
             (one.stderr[-300:], two.stderr[-300:], one.returncode))
        # stdout and stderr into one pipe: each message right after the
        # records of the files before it.
        both = [subprocess.run([EXE] + fmt + ['--jobs', j] + batch, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT).stdout for j in ('1', '2')]
        case(f'{name}: with stderr on stdout, the messages fall in the same place',
             both[0] == both[1] and both[0].count(b'eduextract: ') == 3)
    js = run(['--format', 'json', '--jobs', '1'] + batch)
    arr = json.loads(js.stdout)
    case('--format json is one array of every record, error records included',
         len(arr) == 40 + 1 + 4000 + 1 + 40 + 1 and sum('error' in r for r in arr) == 3, len(arr))

    # ----- --output: the streamed records land in the file whole -----
    target = os.path.join(tmp, 'out.jsonl')
    p = run(['--jobs', '1', '--output', target, small, volume])
    ref = run(['--jobs', '2', small, volume]).stdout
    case('--output with --jobs 1 holds what --jobs 2 writes, and no temporary is left',
         p.returncode == 0 and open(target, 'rb').read() == ref and
         sorted(os.listdir(tmp)) == sorted(['volume.txt', 'small.txt', 'binary.txt', 'out.jsonl']),
         os.listdir(tmp))

    # ----- memory: the records of a volume are not held -----
    ldd = subprocess.run(['ldd', EXE], capture_output=True).stdout
    if b'libasan' in ldd or b'libtsan' in ldd or not os.access('/usr/bin/time', os.X_OK):
        print('(memory case not run: sanitizer build or no /usr/bin/time)')
    else:
        # Without meson's MALLOC_PERTURB_: it writes over every freed block,
        # which touches pages a freed record would leave untouched.
        env = {k: v for k, v in os.environ.items() if k != 'MALLOC_PERTURB_'}

        def peak_kb(path):
            out = os.path.join(tmp, 'rss.txt')
            subprocess.run(['/usr/bin/time', '-f', '%M', '-o', out, EXE, '--jobs', '1', path],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
            return int(open(out).read().split()[-1])
        records_kb = len(run(['--jobs', '1', volume]).stdout) // 1024
        grew = peak_kb(volume) - peak_kb(small)
        # The volume's records are some 13 MB; its text and working data
        # (1.3 MB of input) take a few MB.  Held records would add them all.
        case('--jobs 1 on a volume grows by less than half its records',
             grew < records_kb // 2, (grew, records_kb))

print(f'{cases - failures} of {cases} stream cases passed')
sys.exit(1 if failures else 0)
