#!/usr/bin/env python3
"""Directory walks: the files a directory gives and their order, against a
model of the walk (names sorted as strcmp() sorts them, hidden names
skipped, directories and symbolic links to them walked, every other entry
kept when fnmatch(3) of the C library says it matches --glob).  The CLI
filters and sorts a directory's names with fast paths of its own (a suffix
test for "*LITERAL" patterns, a merge sort on 8-byte prefixes); this test
holds them to fnmatch() and strcmp() on names chosen to tell them apart.

    python3 test_dir_walk.py BUILD/eduextract SOURCE_ROOT
"""
import ctypes
import json
import os
import random
import subprocess
import sys
import tempfile

EXE = sys.argv[1]
failures = 0
cases = 0

libc = ctypes.CDLL(None)
libc.fnmatch.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int]
libc.fnmatch.restype = ctypes.c_int


def case(name, ok, detail=''):
    global failures, cases
    cases += 1
    if not ok:
        failures += 1
    print(f'{"ok  " if ok else "FAIL"} {name}{": " + str(detail)[:600] if detail and not ok else ""}')


def walk(d, glob):
    """The paths a walk of directory d gives, as cli_inputs.c specifies it."""
    prefix = d if d.endswith(b'/') else d + b'/'
    out = []
    for name in sorted(os.listdir(d)):  # bytes: sorted as strcmp() sorts
        if name.startswith(b'.'):
            continue
        p = prefix + name
        if os.path.isdir(p):
            out += walk(p, glob)
        elif libc.fnmatch(glob, name, 0) == 0:
            out.append(p)
    return out


def walked(args):
    p = subprocess.run([EXE, '--quiet'] + args, capture_output=True)
    paths = [json.loads(l)['source']['path'] for l in p.stdout.decode('utf-8').splitlines()
             if l.strip()]
    return p.returncode, paths


def make(path, text='一、总体情况\n'):
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)


with tempfile.TemporaryDirectory() as tmp:
    tree = os.path.join(tmp, 'tree')
    os.makedirs(tree)
    names = [
        'a.txt', 'a.TXT', 'b.Txt', 'a.txt.bak', 'atxt', '.txt', 'txt', 'x.tx', 'x.txtt',
        # eight-byte prefixes shared, names shorter, equal to and longer than 8
        'abcdefg.txt', 'abcdefgh.txt', 'abcdefgh', 'abcdefgh.txt.txt', 'abcdefghi.txt',
        'abcdefgg.txt', 'abcdefgi.txt', 'abcdefg', 'abcdef.txt',
        # bytes above 0x7f sort after ASCII (unsigned), and share long prefixes
        '教育工作报告-01.txt', '教育工作报告-1.txt', '教育工作报告.txt', '教育工作.txt',
        'Z.txt', 'z.txt', '0.txt', '~.txt', 'r[1].txt', 'r*.txt', 'r?.txt', 'back\\slash.txt',
        'r01.txt', 'r02.md', 'r10.txt', 'r1.txt', 'notes.md', '.hidden.txt',
    ]
    for n in names:
        make(os.path.join(tree, n))
    # directories, one named like a report, and symbolic links
    os.makedirs(os.path.join(tree, 'dir.txt', 'inner'))
    make(os.path.join(tree, 'dir.txt', 'in.txt'))
    make(os.path.join(tree, 'dir.txt', 'inner', 'deep.txt'))
    make(os.path.join(tree, 'dir.txt', 'inner', 'deep.md'))
    os.makedirs(os.path.join(tree, 'sub'))
    make(os.path.join(tree, 'sub', 's.txt'))
    os.symlink('a.txt', os.path.join(tree, 'link.txt'))
    os.symlink('a.txt', os.path.join(tree, 'link.md'))
    os.symlink('sub', os.path.join(tree, 'linkdir'))
    os.symlink('nowhere.txt', os.path.join(tree, 'dangling.txt'))

    # a large directory in random order of creation, for the sort
    big = os.path.join(tmp, 'big')
    os.makedirs(big)
    rnd = random.Random(13)
    alphabet = 'aAbz09_-.年度报告'
    made = set()
    while len(made) < 700:
        n = ''.join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 14))) + \
            rnd.choice(['.txt', '.txt', '.md', ''])
        if n.startswith('.') or n in made:
            continue
        made.add(n)
        make(os.path.join(big, n))

    globs = ['*.txt', '*', '*.md', '*txt', '*.TXT', '*t', 'r*.txt', 'r?.txt', 'r[0-9]*.txt',
             'r[[]1].txt', '*[*].txt', '*\\*.txt', '*\\\\slash.txt', '*.t?t', 'notes.md',
             '*报告.txt', '*-1.txt', '']
    for glob in globs:
        for d in (tree, tree + '/', big):
            args = ['--jobs', '1'] + (['--glob', glob] if glob != '*.txt' else []) + [d]
            rc, got = walked(args)
            want = [p.decode('utf-8') for p in walk(d.encode(), glob.encode())]
            # a dangling link gives an error record (exit 1) where it matches
            case(f'--glob {glob!r} over {os.path.relpath(d, tmp)!r} walks as fnmatch() and '
                 f'strcmp() say ({len(want)} files)', got == want and rc in (0, 1),
                 f'rc={rc} got {got[:8]} want {want[:8]}')

    rc1, one = walked(['--jobs', '1', tree, big])
    rc2, two = walked(['--jobs', '2', tree, big])
    case('--jobs 2 walks as --jobs 1', one == two and rc1 == rc2, f'{len(one)} vs {len(two)}')

print(f'{cases - failures} passed, {failures} failed')
sys.exit(1 if failures else 0)
