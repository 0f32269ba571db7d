#!/usr/bin/env python3
"""Batch processing: directories, --glob, --files-from, stdin, --jobs N giving
the output of --jobs 1 byte for byte, a record for every bad file in input
order, --output complete or absent, CSV columns, --summary, and memory that
does not grow with the number of files.

    python3 test_batch.py BUILD/eduextract SOURCE_ROOT
"""
import csv
import io
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time

EXE = sys.argv[1]
failures = 0
cases = 0


def case(name, ok, detail=''):
    global failures, cases
    cases += 1
    if not ok:
        failures += 1
    print(f'{"ok  " if ok else "FAIL"} {name}{": " + str(detail)[:400] if detail and not ok else ""}')


def run(args, stdin=b'', **kw):
    return subprocess.run([EXE] + args, input=stdin, capture_output=True, **kw)


def records(out):
    return [json.loads(l) for l in out.decode('utf-8').splitlines() if l.strip()]


def report(i):
    """A small report of our own, different for every i."""
    return (f'第{i}号学校{2018 + i % 6}年度教育工作总结\n'
            f'一、基本情况\n全校共有学生{300 + i}人,教职工{20 + i % 30}人。\n'
            f'二、主要成绩\n(一)普及水平\n适龄儿童入学率{90 + i % 10}.{i % 10}%,'
            f'初中巩固率{95 + i % 5}%,达到省定标准。\n'
            f'(二)办学条件\n生均图书{20 + i % 17}册,师生比1:{12 + i % 9}。\n'
            f'三、存在问题\n部分教室面积偏小,平均班额{40 + i % 15}人。\n')


def csv_rows(data):
    text = data.decode('utf-8')
    if text.startswith('\ufeff'):
        text = text[1:]
    return list(csv.reader(io.StringIO(text)))


with tempfile.TemporaryDirectory() as tmp:
    # ----- a tree of reports -----
    tree = os.path.join(tmp, 'tree')
    files = []
    for i in range(60):
        sub = os.path.join(tree, f'd{i % 4}', 'inner' if i % 3 == 0 else '')
        os.makedirs(sub, exist_ok=True)
        p = os.path.join(sub, f'r{i:03d}.txt')
        data = report(i).encode('gb18030' if i % 7 == 0 else 'utf-8')
        if i % 11 == 0:
            data = data * 40  # a few larger files
        open(p, 'wb').write(data)
        files.append(p)
    open(os.path.join(tree, 'notes.md'), 'w', encoding='utf-8').write(report(99))
    open(os.path.join(tree, '.hidden.txt'), 'w', encoding='utf-8').write(report(98))

    # ----- directories and --glob -----
    p = run(['--jobs', '1', tree])
    got = [r['source']['path'] for r in records(p.stdout)]
    want = sorted(files)
    case('a directory gives every *.txt below it, recursively, in sorted order',
         p.returncode == 0 and got == want, f'rc={p.returncode} {got[:3]} vs {want[:3]}')
    case('hidden files and other extensions are skipped',
         not any(x.endswith(('notes.md', '.hidden.txt')) for x in got))
    p = run(['--glob', '*.md', tree])
    got = [r['source']['path'] for r in records(p.stdout)]
    case('--glob chooses the files of a directory',
         p.returncode == 0 and got == [os.path.join(tree, 'notes.md')], got)
    p = run([tree + '/d1', files[0]])
    got = [r['source']['path'] for r in records(p.stdout)]
    case('directories and files mix in argument order',
         got == sorted(f for f in files if '/d1/' in f) + [files[0]], got[-2:])
    empty_dir = os.path.join(tmp, 'emptydir')
    os.makedirs(empty_dir)
    p = run([empty_dir])
    case('an empty directory gives no record and exit 0', p.returncode == 0 and p.stdout == b'',
         p.returncode)

    # ----- stdin and --files-from -----
    p = run([], stdin=report(1).encode())
    rs = records(p.stdout)
    case('stdin is read when no file is given',
         p.returncode == 0 and len(rs) == 1 and rs[0]['source']['path'] == '-')
    listing = os.path.join(tmp, 'list.txt')
    chosen = [files[5], files[2], os.path.join(tree, 'd3'), files[5]]
    open(listing, 'w').write('\n'.join(chosen[:2]) + '\n\n' + '\r\n'.join(chosen[2:]) + '\n')
    expect = [files[5], files[2]] + sorted(f for f in files if '/d3/' in f) + [files[5]]
    p = run(['--files-from', listing])
    got = [r['source']['path'] for r in records(p.stdout)]
    case('--files-from reads paths (and directories) in order, blank lines and CRLF ignored',
         p.returncode == 0 and got == expect, got)
    p = run(['--files-from', '-'], stdin=('\n'.join(chosen) + '\n').encode())
    got2 = [r['source']['path'] for r in records(p.stdout)]
    case('--files-from - reads the list from stdin', p.returncode == 0 and got2 == expect, got2)
    p = run([files[1], '--files-from', listing])
    got3 = [r['source']['path'] for r in records(p.stdout)]
    case('arguments come before the --files-from list', got3 == [files[1]] + expect, got3[:2])
    p = run(['--files-from', '-', '-'], stdin=b'x\n')
    case('stdin as both the list and an input is a usage error', p.returncode == 2, p.returncode)
    for j in ('1', '2'):
        p = run(['--jobs', j, files[0], '-', files[1], '-'], stdin=report(4).encode())
        rs = records(p.stdout)
        case(f'--jobs {j}: with "-" twice, the first reads stdin and the second finds it empty',
             [r['source']['path'] for r in rs] == [files[0], '-', files[1], '-'] and
             rs[1]['indicators'] and rs[3]['indicators'] == [], [r['source']['path'] for r in rs])
    p = run(['--files-from', os.path.join(tmp, 'no-such-list')])
    case('a missing --files-from list is a usage error', p.returncode == 2 and b'no-such-list' in p.stderr,
         p.returncode)

    # ----- --jobs N is --jobs 1, byte for byte -----
    for fmt in ('jsonl', 'json', 'csv'):
        outs = {}
        for j in ('1', '2', '3', '8'):
            q = run(['--format', fmt, '--jobs', j, tree, files[3], tree + '/d2'])
            outs[j] = (q.returncode, q.stdout)
        same = all(v == outs['1'] for v in outs.values())
        case(f'--format {fmt}: --jobs 2, 3 and 8 write exactly what --jobs 1 writes',
             same and outs['1'][0] == 0 and len(outs['1'][1]) > 1000,
             {k: (v[0], len(v[1])) for k, v in outs.items()})
    q = run(['--format', 'json', '--pretty', '--jobs', '2', tree])
    try:
        arr = json.loads(q.stdout)
    except ValueError:
        arr = None
    case('--format json --pretty writes one indented array with every record',
         isinstance(arr, list) and len(arr) == len(files) and b'\n\t' in q.stdout)
    q = run(['--pretty', files[0]])
    case('--pretty leaves JSON Lines on one line per record', q.stdout.count(b'\n') == 1)

    # ----- bad files: a record for each, in order, the batch goes on -----
    bad = os.path.join(tmp, 'bad')
    os.makedirs(bad)
    binary = os.path.join(bad, 'binary.txt')
    open(binary, 'wb').write(bytes(range(256)) * 8)
    big = os.path.join(bad, 'big.txt')
    open(big, 'w', encoding='utf-8').write(report(7) * 200)
    empty = os.path.join(bad, 'empty.txt')
    open(empty, 'wb').close()
    missing = os.path.join(bad, 'missing.txt')
    unreadable = os.path.join(bad, 'locked.txt')
    open(unreadable, 'w').write(report(3))
    os.chmod(unreadable, 0)
    can_lock = os.geteuid() != 0
    batch = [files[0], missing, binary, big, empty, files[1], unreadable, files[2]]
    want_err = {missing: 'io_error', binary: 'binary_input', big: 'too_large'}
    if can_lock:
        want_err[unreadable] = 'io_error'
    for j in ('1', '2', '4'):
        p = run(['--jobs', j, '--max-bytes', '20K'] + batch)
        rs = records(p.stdout)
        paths = [r['source']['path'] for r in rs]
        codes = {r['source']['path']: r.get('error', {}).get('code') for r in rs}
        case(f'--jobs {j}: a batch with bad files has one record per file, in input order',
             paths == batch, paths)
        case(f'--jobs {j}: missing, binary and oversized files are error records, the others not',
             all(codes.get(b) == want_err.get(b) for b in batch), codes)
        case(f'--jobs {j}: the batch exits 1', p.returncode == 1, p.returncode)
        lines = p.stderr.decode('utf-8').splitlines()
        case(f'--jobs {j}: one stderr line names each failed file, in order',
             len(lines) == len(want_err) and
             [next((b for b in batch if b in l), None) for l in lines] == [b for b in batch if b in want_err],
             lines)
    case('an empty file is a report with nothing in it, not an error',
         'error' not in rs[batch.index(empty)] and rs[batch.index(empty)]['indicators'] == [])
    p = run(['--quiet', missing, files[0]])
    case('--quiet keeps the error record and exit 1 but prints nothing',
         p.returncode == 1 and p.stderr == b'' and len(records(p.stdout)) == 2, p.stderr)
    p = run(['--max-bytes', '20K'], stdin=(report(5) * 200).encode())
    rs = records(p.stdout)
    case('oversized stdin gives an error record',
         p.returncode == 1 and len(rs) == 1 and rs[0].get('error', {}).get('code') == 'too_large')
    p = run(['--max-bytes', 'lots', files[0]])
    case('a bad --max-bytes is a usage error', p.returncode == 2)

    # ----- --summary and progress -----
    p = run(['--summary', '--jobs', '2', files[0], missing, files[1]])
    s = p.stderr.decode()
    case('--summary prints files, reports, figures, checks, failures and MB/s',
         'files 3,' in s and 'reports 2,' in s and 'failures 1,' in s and 'MB/s' in s and
         'figures' in s and 'checks' in s, s)
    p = run([tree])
    case('no progress and no message on a non-terminal stderr for a good batch', p.stderr == b'',
         p.stderr[:200])

    import pty
    master, slave = pty.openpty()
    q = subprocess.run([EXE, '--quiet', '--jobs', '2', tree, missing], stdout=subprocess.PIPE,
                       stderr=slave)
    os.close(slave)
    os.set_blocking(master, False)
    try:
        seen = os.read(master, 4096)
    except (BlockingIOError, OSError):
        seen = b''
    os.close(master)
    case('--quiet prints nothing even on a terminal', q.returncode == 1 and seen == b'', seen[:200])

    # ----- --output: complete or absent -----
    outdir = os.path.join(tmp, 'out')
    os.makedirs(outdir)
    target = os.path.join(outdir, 'all.jsonl')
    ref = run(['--jobs', '1', tree]).stdout
    p = run(['--jobs', '2', '--output', target, tree])
    case('--output holds exactly what stdout would', p.returncode == 0 and
         open(target, 'rb').read() == ref and p.stdout == b'')
    case('--output leaves no temporary file', os.listdir(outdir) == ['all.jsonl'], os.listdir(outdir))
    mode = os.stat(target).st_mode & 0o777
    case('--output has the mode a plain create gives (not 0600)', mode == 0o666 & ~0o022 or mode & 0o044,
         oct(mode))
    os.unlink(target)

    def small_file_limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))

    for j in ('1', '2'):
        p = run(['--jobs', j, '--output', target, tree], preexec_fn=small_file_limit)
        case(f'--jobs {j}: a write failure midway leaves no output file and no temporary, exit 1',
             p.returncode == 1 and os.listdir(outdir) == [] and b'not created' in p.stderr,
             (p.returncode, os.listdir(outdir), p.stderr[-200:]))
    p = run(['--output', outdir, files[0]])
    case('an output that cannot be renamed into place fails cleanly',
         p.returncode == 1 and os.listdir(outdir) == [] and b'cannot rename' in p.stderr,
         (p.returncode, os.listdir(outdir)))
    p = run(['--output', os.path.join(tmp, 'no', 'such', 'dir', 'x.jsonl'), files[0]])
    case('an output in a missing directory fails with a message', p.returncode == 1 and p.stderr)

    # Interrupted: either the whole file or nothing, never a part.
    many = [files[i % len(files)] for i in range(3000)]
    lst = os.path.join(tmp, 'many.txt')
    open(lst, 'w').write('\n'.join(many) + '\n')
    proc = subprocess.Popen([EXE, '--jobs', '2', '--output', target, '--files-from', lst],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.3)
    proc.send_signal(signal.SIGTERM)
    proc.wait()
    left = os.listdir(outdir)
    if left == ['all.jsonl']:
        complete = len(records(open(target, 'rb').read())) == len(many)
        os.unlink(target)
    else:
        complete = left == []
    case('SIGTERM during --output leaves the file complete or absent, and no temporary',
         complete, (proc.returncode, left))

    # ----- CSV -----
    p = run(['--format', 'csv', '--jobs', '2', files[0], missing, empty, files[1]])
    rows = csv_rows(p.stdout)
    head = rows[0] if rows else []
    need = ['path', 'report_index', 'title', 'year', 'organization', 'error', 'id', 'name',
            'kind', 'value', 'unit', 'qualifier', 'redacted', 'standard_value', 'claimed',
            'meets_standard', 'section', 'raw', 'span_start', 'span_end']
    case('CSV has the report and figure columns', all(c in head for c in need),
         [c for c in need if c not in head])
    case('every CSV row has as many fields as the header', rows and all(len(r) == len(head) for r in rows))
    js = records(run(['--jobs', '1', files[0], missing, empty, files[1]]).stdout)
    nrows = sum(max(1, len(r.get('indicators', []))) for r in js)
    case('one row per figure, and one row for a report without figures or a failed file',
         len(rows) == 1 + nrows, f'{len(rows) - 1} rows, want {nrows}')
    if head:
        col = {c: i for i, c in enumerate(head)}
        first = [r for r in rows[1:] if r[col['path']] == files[0]]
        case('the report fields are repeated on each of its rows',
             len(first) > 1 and len({(r[col['title']], r[col['year']]) for r in first}) == 1 and
             all(r[col['id']] for r in first), len(first))
        case('a failed file has a CSV row with its error',
             any(r[col['path']] == missing and r[col['error']] for r in rows[1:]))
        case('figures in CSV follow the JSON ones',
             [r[col['raw']] for r in first] == [f['raw'] for f in js[0]['indicators']])
    p = run(['--format', 'csv', '--csv-bom', files[0]])
    case('--csv-bom puts a UTF-8 BOM before the header, once',
         p.stdout.startswith(b'\xef\xbb\xbfpath,') and p.stdout.count(b'\xef\xbb\xbf') == 1)

    # ----- memory does not grow with the batch -----
    def peak_rss_kb(args):
        # Through /usr/bin/time when there is one: a child forked from this
        # Python starts with Python's RSS as its peak, which hides growth.
        rss_out = os.path.join(tmp, 'rss.txt')
        timer = ['/usr/bin/time', '-f', '%M', '-o', rss_out] if os.access('/usr/bin/time', os.X_OK) else []
        pr = subprocess.Popen(timer + [EXE] + args, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(pr.pid, 0)
        rc = os.waitstatus_to_exitcode(status)
        if timer:
            return int(open(rss_out).read().split()[-1]), rc
        return ru.ru_maxrss, rc

    ldd = subprocess.run(['ldd', EXE], capture_output=True).stdout
    sanitized = b'libasan' in ldd or b'libtsan' in ldd
    if sanitized:
        print('(memory case not run: a sanitizer keeps freed memory in quarantine)')
    small_list = os.path.join(tmp, 'small.txt')
    open(small_list, 'w').write('\n'.join(many[:100]) + '\n')
    if not sanitized:
        rss_small, rc1 = peak_rss_kb(['--jobs', '2', '--files-from', small_list])
        rss_many, rc2 = peak_rss_kb(['--jobs', '2', '--files-from', lst])
        case('peak memory for 3000 files stays within 8 MB of that for 100 files',
             rc1 == 0 and rc2 == 0 and rss_many < rss_small + 8 * 1024,
             (rss_small, rss_many, rc1, rc2))

print(f'{cases - failures} of {cases} batch cases passed')
sys.exit(1 if failures else 0)
