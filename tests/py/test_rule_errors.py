#!/usr/bin/env python3
"""Rule-file errors are golden: each tests/rules_errors/CASE/ holds one or
more broken rule files and expected.txt, the exact diagnostics
`eduextract --check-rules` must print for them.

The project's rules/ is copied to a temporary directory, the case's files
replace their namesakes there, and the diagnostics (with the temporary
directory written as "rules") must equal expected.txt byte for byte and the
exit status must be 1.  EDX_UPDATE_GOLDEN=1 rewrites expected.txt.

Usage: test_rule_errors.py EDUEXTRACT SOURCE_ROOT"""
import os
import shutil
import subprocess
import sys
import tempfile


def main():
    exe, root = sys.argv[1], sys.argv[2]
    cases_dir = os.path.join(root, 'tests', 'rules_errors')
    update = os.environ.get('EDX_UPDATE_GOLDEN') == '1'
    failed = 0
    cases = sorted(c for c in os.listdir(cases_dir) if os.path.isdir(os.path.join(cases_dir, c)))
    if not cases:
        print('no cases')
        return 1
    for case in cases:
        cdir = os.path.join(cases_dir, case)
        with tempfile.TemporaryDirectory() as tmp:
            rdir = os.path.join(tmp, 'rules')
            shutil.copytree(os.path.join(root, 'rules'), rdir)
            for f in os.listdir(cdir):
                if f.endswith('.conf'):
                    shutil.copy(os.path.join(cdir, f), os.path.join(rdir, f))
            proc = subprocess.run([exe, '--check-rules', rdir], capture_output=True)
            got = (proc.stdout + proc.stderr).decode('utf-8').replace(rdir, 'rules')
        exp_path = os.path.join(cdir, 'expected.txt')
        if update:
            with open(exp_path, 'w', encoding='utf-8') as fh:
                fh.write(got)
        want = open(exp_path, encoding='utf-8').read() if os.path.exists(exp_path) else None
        ok = proc.returncode == 1 and want is not None and got == want and 'error:' in got
        if not ok:
            failed += 1
            print(f'FAIL {case}: exit {proc.returncode}')
            print('--- expected\n' + (want or '(missing)') + '--- got\n' + got)
        else:
            print(f'ok   {case}')
    print(f'{len(cases) - failed} of {len(cases)} cases pass')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
