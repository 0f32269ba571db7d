#!/usr/bin/env python3
"""Files named in a --files-from list of one directory are read without an
fstat() when the first read into the CLI's read buffer comes back short
(cli_run.c, read_regular()); a read that fills the buffer, or the
--max-bytes limit plus one, falls back to the fstat() and the plain read.
Every size around those edges must give the records, error records,
messages and exit status that the file gives named alone on the command
line (the input stream then sizes it with a stat(), the plain path):
empty, one byte, the buffer's first capacity (64 KiB) and one byte more or
less, a larger file read after it (the buffer grows), a binary file, a file
exactly at --max-bytes and one byte over, and a directory named in the list
(walked, as on the command line).  With --jobs 1 and --jobs 2.

    python3 test_read_sizes.py BUILD/eduextract SOURCE_ROOT
"""
import os
import subprocess
import sys
import tempfile

EXE, ROOT = sys.argv[1], sys.argv[2]
RULES = os.path.join(ROOT, 'rules')
CAP = 64 * 1024  # READBUF_FIRST in cli_run.c
failures = 0
cases = 0


def case(name, ok, detail=''):
    global failures, cases
    cases += 1
    if not ok:
        failures += 1
    print(f'{"ok  " if ok else "FAIL"} {name}{": " + str(detail)[:300] if detail and not ok else ""}')


def text_of(size, i):
    """A small report padded with ASCII to exactly size bytes (or cut)."""
    head = (f'一、基本情况\n全校共有学生{300 + i}人,入学率9{i % 10}.5%。\n').encode()
    if size <= len(head):
        return head[:size]
    body = head + b'x' * (size - len(head) - 1) + b'\n'
    return body


def run(args):
    p = subprocess.run([EXE, '--rules', RULES, *args], capture_output=True)
    return p.returncode, p.stdout, p.stderr


def main():
    with tempfile.TemporaryDirectory(prefix='edx-readsizes-') as tmp:
        d = os.path.join(tmp, 'in')
        os.mkdir(d)
        # The first eight names of a directory are stat()ed one by one (the
        # input stream lists the directory from the eighth on): fillers.
        sizes = [10] * 8 + [0, 1, 100, CAP - 1, CAP, CAP + 1, 3 * CAP + 7, 50, CAP, 1999, 2000,
                            2001]
        names = []
        for i, size in enumerate(sizes):
            name = os.path.join(d, f'f{i:03d}.txt')
            with open(name, 'wb') as f:
                f.write(text_of(size, i))
            names.append(name)
        binary = os.path.join(d, 'f900.txt')
        with open(binary, 'wb') as f:
            f.write(b'\x00\x01\x02binary\x00' * 50)
        names.append(binary)
        sub = os.path.join(d, 'sub')
        os.mkdir(sub)
        with open(os.path.join(sub, 'inner.txt'), 'wb') as f:
            f.write(text_of(300, 7))
        names.append(sub)
        names.append(os.path.join(d, 'missing.txt'))
        lst = os.path.join(tmp, 'list')
        with open(lst, 'w') as f:
            f.write('\n'.join(names) + '\n')

        limit = 2000
        for extra in ([], ['--max-bytes', str(limit)], ['--max-bytes', str(limit - 1)],
                      ['--max-bytes', str(CAP)], ['--max-bytes', str(CAP - 1)]):
            for jobs in ('1', '2'):
                args = ['--jobs', jobs, *extra]
                got = run([*args, '--files-from', lst])
                want_out, want_err, want_rc = b'', b'', 0
                for n in names:
                    rc, out, err = run([*args, n])
                    want_out += out
                    want_err += err
                    want_rc = max(want_rc, rc)
                label = ' '.join(args)
                case(f'{label}: records', got[1] == want_out,
                     f'{len(got[1])} bytes, want {len(want_out)}')
                case(f'{label}: messages', got[2] == want_err, got[2][:300])
                case(f'{label}: status', got[0] == want_rc, f'{got[0]} want {want_rc}')
    print(f'{cases - failures} passed, {failures} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
