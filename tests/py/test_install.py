#!/usr/bin/env python3
"""The library as a product: `meson install` into a temporary DESTDIR puts the
binary, the shared library, the header, the rules and the pkg-config file in
place; the installed binary finds the installed rules with no --rules and no
$EDUEXTRACT_RULES; the shared library exports edx_* symbols only; and a
program built from the installed header with pkg-config runs.

    python3 test_install.py BUILD/eduextract SOURCE_ROOT
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

EXE, ROOT = os.path.abspath(sys.argv[1]), sys.argv[2]
BUILD = os.path.dirname(EXE)
failures = 0
cases = 0


def case(name, ok, detail=''):
    global failures, cases
    cases += 1
    if not ok:
        failures += 1
    print(f'{"ok  " if ok else "FAIL"} {name}{": " + str(detail)[:500] if detail and not ok else ""}')


if shutil.which('meson') is None:
    print('meson not found: skipped')
    sys.exit(77)

REPORT = '一、基本情况\n全县小学适龄儿童入学率100%,初中巩固率98.6%。\n'

with tempfile.TemporaryDirectory() as tmp:
    dest = os.path.join(tmp, 'stage')
    p = subprocess.run(['meson', 'install', '-C', BUILD, '--no-rebuild', '--quiet', '--destdir', dest],
                       capture_output=True)
    case('meson install --destdir succeeds', p.returncode == 0, p.stderr.decode()[-500:])
    if p.returncode != 0:
        sys.exit(1)

    def one(pattern):
        hits = glob.glob(os.path.join(dest, '**', pattern), recursive=True)
        return hits[0] if len(hits) == 1 else None

    binary = one('bin/eduextract')
    header = one('include/eduextract.h')
    libs = glob.glob(os.path.join(dest, '**', 'libeduextract.so*'), recursive=True)
    pc = one('pkgconfig/eduextract.pc')
    rules = one('share/eduextract/rules')
    case('the binary is installed in bin/', binary is not None)
    case('the header is installed in include/', header is not None)
    case('the shared library is installed with its links',
         any(l.endswith('.so') for l in libs) and any(os.path.isfile(l) and not os.path.islink(l)
                                                       for l in libs), libs)
    case('the pkg-config file is installed', pc is not None)
    src_rules = sorted(f for f in os.listdir(os.path.join(ROOT, 'rules')) if f.endswith('.conf'))
    case('every rules file is installed in share/eduextract/rules',
         rules is not None and src_rules and
         all(os.path.isfile(os.path.join(rules, f)) for f in src_rules), src_rules)
    if not (binary and rules and libs):
        sys.exit(1)
    prefix = os.path.dirname(os.path.dirname(binary))
    libdir = os.path.dirname(next(l for l in libs if l.endswith('.so')))

    # The installed binary, with the installed library, anywhere, no rules given.
    env = {k: v for k, v in os.environ.items() if k != 'EDUEXTRACT_RULES'}
    env['LD_LIBRARY_PATH'] = libdir
    away = os.path.join(tmp, 'elsewhere')
    os.makedirs(away)
    q = subprocess.run([binary, '--print-rules-dir'], capture_output=True, env=env, cwd=away)
    found = q.stdout.decode().strip()
    case('the installed binary finds the installed rules by itself',
         q.returncode == 0 and os.path.realpath(found) == os.path.realpath(rules),
         f'{found!r} vs {rules!r} {q.stderr.decode()[:200]}')
    q = subprocess.run([binary, '-'], input=REPORT.encode(), capture_output=True, env=env, cwd=away)
    ref = subprocess.run([EXE, '--rules', rules, '-'], input=REPORT.encode(), capture_output=True)
    case('the installed binary extracts without --rules, as the build tree does',
         q.returncode == 0 and q.stdout and q.stdout == ref.stdout, q.stderr.decode()[:300])
    ldd = subprocess.run(['ldd', binary], capture_output=True, env=env)
    case('the installed binary links the installed library',
         ldd.returncode != 0 or os.path.realpath(libdir) in ldd.stdout.decode() or libdir in ldd.stdout.decode(),
         ldd.stdout.decode()[:300])

    # Exported symbols: the public API only.
    so = next(l for l in libs if os.path.isfile(l) and not os.path.islink(l))
    nm = shutil.which('nm')
    if nm:
        q = subprocess.run([nm, '-D', '--defined-only', so], capture_output=True)
        syms = [l.split()[-1] for l in q.stdout.decode().splitlines() if l.strip()]
        # Linker-made markers (_init, _edata ...) are not code of ours.
        ours = [s for s in syms if not s.startswith('_')]
        bad = [s for s in ours if not s.startswith('edx_')]
        case('the shared library exports edx_* symbols only', q.returncode == 0 and ours and not bad,
             bad[:20])
        api = set()
        for line in open(os.path.join(ROOT, 'include', 'eduextract.h'), encoding='utf-8'):
            if line.startswith('EDX_API'):
                name = line.split('(')[0].split()[-1].lstrip('*')
                api.add(name)
        case('every function of the header is exported', api and api <= set(ours),
             sorted(api - set(ours)))

    # A program built only from what was installed.
    cc = shutil.which('cc') or shutil.which('gcc')
    pkgconf = shutil.which('pkg-config') or shutil.which('pkgconf')
    if cc and pkgconf and pc:
        penv = dict(os.environ, PKG_CONFIG_PATH=os.path.dirname(pc), PKG_CONFIG_SYSROOT_DIR=dest)
        flags = subprocess.run([pkgconf, '--cflags', '--libs', 'eduextract'], capture_output=True,
                               env=penv)
        case('pkg-config knows eduextract', flags.returncode == 0, flags.stderr.decode()[:300])
        prog = os.path.join(tmp, 'extract_files')
        # A sanitizer build's library needs the sanitizer runtime in the program too.
        needed = subprocess.run(['readelf', '-d', next(l for l in libs if l.endswith('.so'))],
                                capture_output=True).stdout.decode()
        san = ['-fsanitize=address,undefined'] if 'libasan' in needed else []
        build = subprocess.run([cc, '-std=c11', '-Wall', '-Wextra', '-Werror'] + san + ['-o', prog,
                                os.path.join(ROOT, 'examples', 'extract_files.c')] +
                               flags.stdout.decode().split(), capture_output=True)
        case('examples/extract_files.c builds from the installed header and pkg-config',
             build.returncode == 0, build.stderr.decode()[:500])
        if build.returncode == 0:
            report = os.path.join(tmp, 'r.txt')
            open(report, 'w', encoding='utf-8').write(REPORT)
            q = subprocess.run([prog, rules, report], capture_output=True, env=env)
            case('the example program runs against the installed library',
                 q.returncode == 0 and b'"indicators"' in q.stdout and b'1 report(s)' in q.stderr,
                 q.stderr.decode()[:300])
    else:
        print('no C compiler or pkg-config: the pkg-config build case is not run')

print(f'{cases - failures} of {cases} install cases passed')
sys.exit(1 if failures else 0)
