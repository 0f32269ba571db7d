#!/usr/bin/env python3
"""A subset of the suite under valgrind memcheck: the CLI over the samples
and a few hostile inputs must run with no memory error and no leak.
Skipped (77) without valgrind, and in sanitizer builds (ASan and valgrind
do not mix)."""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

EXE, ROOT = sys.argv[1], sys.argv[2]
if shutil.which('valgrind') is None:
    print('valgrind not installed: skipped')
    sys.exit(77)
if 'asan' in os.path.basename(os.path.dirname(os.path.abspath(EXE))):
    print('sanitizer build: skipped')
    sys.exit(77)

tmp = tempfile.mkdtemp()
try:
    inputs = sorted(glob.glob(os.path.join(ROOT, 'samples', '*.txt')))[:6]
    for name, data in [('bad_utf8.txt', b'\xe5\xad\xa6\xff\xfe' + '入学率100%'.encode()),
                       ('gb.txt', '一、概况\n巩固率98.6%，师生比1:17。'.encode('gb18030')),
                       ('empty.txt', b'')]:
        p = os.path.join(tmp, name)
        open(p, 'wb').write(data)
        inputs.append(p)
    inputs.append(os.path.join(tmp, 'missing.txt'))
    failed = 0
    for fmt in ('jsonl', 'csv'):
        cmd = ['valgrind', '--quiet', '--error-exitcode=99', '--leak-check=full',
               '--errors-for-leak-kinds=definite,indirect', '--show-leak-kinds=definite,indirect',
               EXE, '--quiet', '--jobs', '2', '--format', fmt] + inputs
        env = dict(os.environ, EDUEXTRACT_NO_JIT='1')
        proc = subprocess.run(cmd, capture_output=True, timeout=900, env=env)
        ok = proc.returncode in (0, 1)
        print(f'{"ok  " if ok else "FAIL"} memcheck, --format {fmt}, {len(inputs)} inputs: exit {proc.returncode}')
        if not ok:
            print(proc.stderr.decode('utf-8', 'replace')[-3000:])
            failed += 1
    sys.exit(1 if failed else 0)
finally:
    shutil.rmtree(tmp)
