#!/usr/bin/env python3
"""The lines of a --files-from list (cli_inputs.c reads the list 64 KiB at
a time with read() and splits it itself, where it called getline() per
line): a list of more than one read, with CRLF and CR CR LF endings, empty
lines, a name that does not exist, a line "-" (a file named "-"), and a
last line without a newline, read from a file and from a pipe, gives the
records, messages and exit status of the same names given as arguments.

    python3 test_list_lines.py BUILD/eduextract SOURCE_ROOT
"""
import os
import subprocess
import sys
import tempfile

EXE, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
RULES = os.path.join(ROOT, 'rules')
failures = 0
cases = 0


def case(name, ok, detail=''):
    global failures, cases
    cases += 1
    if not ok:
        failures += 1
    print(f'{"ok  " if ok else "FAIL"} {name}{": " + str(detail)[:300] if detail and not ok else ""}')


def run(args, stdin=None, cwd=None):
    p = subprocess.run([EXE, '--rules', RULES, '--jobs', '1', *args], input=stdin,
                       capture_output=True, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def main():
    with tempfile.TemporaryDirectory(prefix='edx-listlines-') as tmp:
        names = []
        for i in range(40):
            name = os.path.join(tmp, f'report-{i:03d}-' + 'n' * (i % 7) + '.txt')
            with open(name, 'w', encoding='utf-8') as f:
                f.write(f'一、基本情况\n全校共有学生{300 + i}人,入学率9{i % 10}.5%。\n')
            names.append(name)
        with open(os.path.join(tmp, '-'), 'w', encoding='utf-8') as f:
            f.write('一、总体情况\n教师120人。\n')
        endings = ['\n', '\r\n', '\r\r\n', '\n\n', '\n']
        lines, want = [], []
        # Some 3 000 lines (more than 64 KiB): lines cross the reads.
        for k in range(3000):
            if k % 997 == 5:
                lines.append('-')
                want.append('./-')
            elif k % 1301 == 7:
                lines.append(os.path.join(tmp, 'missing.txt'))
                want.append(lines[-1])
            else:
                lines.append(names[k % len(names)])
                want.append(lines[-1])
            lines[-1] += endings[k % len(endings)]
        body = ''.join(lines) + names[3]  # the last line has no newline
        want.append(names[3])
        lst = os.path.join(tmp, 'list')
        with open(lst, 'w', encoding='utf-8') as f:
            f.write(body)

        ref = run(want, cwd=tmp)
        got = run(['--files-from', lst], cwd=tmp)
        piped = run(['--files-from', '-'], stdin=body.encode(), cwd=tmp)
        for label, r in (('file', got), ('pipe', piped)):
            case(f'{label}: records', r[1] == ref[1], f'{len(r[1])} bytes, want {len(ref[1])}')
            case(f'{label}: messages', r[2] == ref[2], r[2][:300])
            case(f'{label}: status', r[0] == ref[0], f'{r[0]} want {ref[0]}')
        case('records were made', ref[1].count(b'\n') == len(want), ref[1].count(b'\n'))
    print(f'{cases - failures} passed, {failures} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
