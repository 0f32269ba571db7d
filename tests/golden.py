#!/usr/bin/env python3
"""Golden test: run eduextract on one sample and byte-compare with its
expected output, samples/NAME.expected.jsonl.

With EDX_UPDATE_GOLDEN=1 the expectation is rewritten instead, so a change of
behaviour shows up as a reviewable diff in git."""
import difflib
import json
import os
import subprocess
import sys


def main():
    exe, sample = os.path.abspath(sys.argv[1]), sys.argv[2]
    expected_path = sample[:-len('.txt')] + '.expected.jsonl'
    # Run from the samples' parent so source.path is stable: samples/NAME.txt
    root = os.path.dirname(os.path.dirname(os.path.abspath(sample)))
    rel = os.path.relpath(sample, root)
    proc = subprocess.run([exe, rel], cwd=root, capture_output=True)
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr.decode('utf-8', 'replace'))
        print(f'eduextract exited {proc.returncode}')
        return 1
    got = proc.stdout.decode('utf-8')
    if os.environ.get('EDX_UPDATE_GOLDEN') == '1':
        with open(expected_path, 'w', encoding='utf-8') as f:
            f.write(got)
        print(f'rewrote {expected_path}')
        return 0
    if not os.path.exists(expected_path):
        print(f'missing {expected_path} (EDX_UPDATE_GOLDEN=1 writes it)')
        return 1
    with open(expected_path, encoding='utf-8') as f:
        want = f.read()
    if got == want:
        print(f'{rel}: output matches {os.path.basename(expected_path)}')
        return 0
    def pretty(text):
        # One field per line, so the diff points at what changed.
        out = []
        for line in text.splitlines():
            try:
                out += json.dumps(json.loads(line), ensure_ascii=False, indent=1).splitlines()
            except ValueError:
                out.append(line)
        return out

    diff = difflib.unified_diff(pretty(want), pretty(got), 'expected', 'got', lineterm='', n=2)
    for i, line in enumerate(diff):
        if i > 80:
            print('... (diff cut)')
            break
        print(line[:400])
    return 1


if __name__ == '__main__':
    sys.exit(main())
