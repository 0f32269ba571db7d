#!/usr/bin/env python3
"""The library under a host's comma-decimal locale.

A host program that calls setlocale(LC_ALL, "de_DE.UTF-8") makes strtod()
and snprintf() use ',' as the decimal point.  The library must still read its
rules and write records exactly as in the "C" locale (else "3,5" lands in the
JSON).  This test builds a de_DE.UTF-8 locale with localedef into a temporary
LOCPATH, then, in a child Python loading libeduextract.so with ctypes,
extracts the samples once in the C locale and once under de_DE, and compares
the JSON and CSV texts.  Skips (77) when the locale sources are not installed
(Debian package `locales`, which scripts/deps.sh installs).

    test_locale.py BUILD/eduextract SOURCE_ROOT
"""
import os
import shutil
import subprocess
import sys
import tempfile

CHILD = r'''
import ctypes, glob, os, sys
lib_path, rules, samples = sys.argv[1], sys.argv[2], sys.argv[3]
libc = ctypes.CDLL(None)
libc.setlocale.restype = ctypes.c_char_p
libc.setlocale.argtypes = [ctypes.c_int, ctypes.c_char_p]
libc.snprintf.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_double]
libc.free.argtypes = [ctypes.c_void_p]
LC_ALL = 6
edx = ctypes.CDLL(lib_path)
edx.edx_extractor_new.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p),
                                  ctypes.POINTER(ctypes.c_void_p)]
edx.edx_extract_buffer.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p,
                                   ctypes.c_size_t, ctypes.c_void_p,
                                   ctypes.POINTER(ctypes.c_void_p)]
edx.edx_result_count.argtypes = [ctypes.c_void_p]
edx.edx_result_count.restype = ctypes.c_size_t
edx.edx_result_json.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
edx.edx_result_json.restype = ctypes.c_void_p
edx.edx_result_csv.argtypes = [ctypes.c_void_p]
edx.edx_result_csv.restype = ctypes.c_void_p
edx.edx_result_free.argtypes = [ctypes.c_void_p]
edx.edx_extractor_free.argtypes = [ctypes.c_void_p]
edx.edx_free.argtypes = [ctypes.c_void_p]

def take(p):
    s = ctypes.string_at(p)
    edx.edx_free(p)
    return s

def run_all():
    ex = ctypes.c_void_p()
    diag = ctypes.c_void_p()
    st = edx.edx_extractor_new(rules.encode(), ctypes.byref(ex), ctypes.byref(diag))
    if st != 0:
        print("extractor_new failed:", st, ctypes.string_at(diag.value) if diag.value else b"")
        sys.exit(1)
    out = []
    for path in sorted(glob.glob(os.path.join(samples, "*.txt"))):
        data = open(path, "rb").read()
        res = ctypes.c_void_p()
        edx.edx_extract_buffer(ex, path.encode(), data, len(data), None, ctypes.byref(res))
        for i in range(edx.edx_result_count(res)):
            out.append(take(edx.edx_result_json(res, i, 0)))
            out.append(take(edx.edx_result_json(res, i, 1)))   # EDX_JSON_PRETTY
        out.append(take(edx.edx_result_csv(res)))
        edx.edx_result_free(res)
    edx.edx_extractor_free(ex)
    return out

plain = run_all()
if not libc.setlocale(LC_ALL, b"de_DE.UTF-8"):
    print("setlocale(de_DE.UTF-8) failed")
    sys.exit(1)
probe = ctypes.create_string_buffer(32)
libc.snprintf(probe, 32, b"%g", ctypes.c_double(3.5))
if probe.value != b"3,5":
    print("the locale is not in effect: snprintf gave", probe.value)
    sys.exit(1)
german = run_all()
bad = [i for i, (a, b) in enumerate(zip(plain, german)) if a != b]
if len(plain) != len(german) or bad:
    i = bad[0] if bad else 0
    print("outputs differ under de_DE (%d of %d texts); first:" % (len(bad), len(plain)))
    for x, y in zip(plain[i].splitlines(), german[i].splitlines()):
        if x != y:
            print("  C:     ", x[:200])
            print("  de_DE: ", y[:200])
            break
    sys.exit(1)
numbers = sum(t.count(b".") for t in plain)
print("ok: %d texts identical under de_DE.UTF-8 (%d decimal points)" % (len(plain), numbers))
'''


def main():
    exe, root = sys.argv[1], sys.argv[2]
    lib = os.path.join(os.path.dirname(os.path.abspath(exe)), "libeduextract.so")
    if not os.path.exists(lib):
        print("skip: no libeduextract.so next to", exe)
        return 77
    # A sanitizer build's library needs its runtime loaded first, which a
    # Python process cannot do; the plain build runs this test.
    ldd = subprocess.run(["ldd", lib], capture_output=True, text=True).stdout
    if "libasan" in ldd or "libtsan" in ldd or "libubsan" in ldd:
        print("skip: sanitizer build (ctypes cannot load its library)")
        return 77
    src = "/usr/share/i18n/locales/de_DE"
    localedef = shutil.which("localedef")
    if not localedef or not os.path.exists(src):
        print("skip: localedef or the de_DE locale source is missing (package locales)")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        r = subprocess.run([localedef, "-i", "de_DE", "-f", "UTF-8", os.path.join(tmp, "de_DE.UTF-8")],
                           capture_output=True, text=True)
        if not os.path.isdir(os.path.join(tmp, "de_DE.UTF-8")):
            print("skip: localedef could not build de_DE.UTF-8:", r.stderr.strip()[:300])
            return 77
        env = dict(os.environ, LOCPATH=tmp)
        env.pop("LC_ALL", None)
        child = subprocess.run([sys.executable, "-c", CHILD, lib, os.path.join(root, "rules"),
                                os.path.join(root, "samples")], env=env, capture_output=True,
                               text=True, timeout=300)
        sys.stdout.write(child.stdout)
        sys.stderr.write(child.stderr)
        return 0 if child.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
