#!/usr/bin/env python3
"""Validate every record eduextract emits for samples/ and ../shared/corpus
(and corpus2) against schema/record.schema.json, and check the span contract:
decoded_text[start:end] == raw for every figure and standard."""
import json
import os
import subprocess
import sys

import jsonschema


def decoded_text(path, encoding):
    data = open(path, 'rb').read()
    codec = {'UTF-8': 'utf-8-sig', 'GB18030': 'gb18030', 'BIG5': 'big5hkscs',
             'UTF-16LE': 'utf-16-le', 'UTF-16BE': 'utf-16-be'}.get(encoding.upper())
    if codec is None:
        return None
    text = data.decode(codec, errors='replace')
    if text.startswith('\ufeff'):
        text = text[1:]
    return text


def main():
    exe, root = sys.argv[1], sys.argv[2]
    schema = json.load(open(os.path.join(root, 'schema', 'record.schema.json')))
    validator = jsonschema.Draft202012Validator(schema)
    shared = os.environ.get('EDX_SHARED', os.path.join(root, '..', 'shared'))
    dirs = [os.path.join(root, 'samples')]
    for sub in ('corpus', 'corpus2'):
        d = os.path.join(shared, sub)
        if os.path.isdir(d):
            dirs.append(d)
    records = bad = span_bad = 0
    for d in dirs:
        proc = subprocess.run([exe, '--quiet', d], capture_output=True)
        if proc.returncode not in (0, 1):
            print(f'{d}: eduextract exited {proc.returncode}: {proc.stderr.decode()[:500]}')
            return 1
        texts = {}
        for line in proc.stdout.decode('utf-8').splitlines():
            rec = json.loads(line)
            records += 1
            errors = sorted(validator.iter_errors(rec), key=lambda e: list(e.path))
            for e in errors[:5]:
                print(f'{rec["source"]["path"]}: {"/".join(map(str, e.path))}: {e.message[:300]}')
            bad += bool(errors)
            if 'error' in rec:
                continue
            path = rec['source']['path']
            if path not in texts:
                texts[path] = decoded_text(path, rec['source']['encoding'])
            text = texts[path]
            if text is None:
                continue
            items = list(rec['indicators'])
            items += [i['standard'] for i in rec['indicators'] if i.get('standard')]
            for it in items:
                s, e = it['span']['start'], it['span']['end']
                if text[s:e] != it['raw']:
                    span_bad += 1
                    if span_bad <= 10:
                        print(f'{path}: span {s}:{e} gives {text[s:e]!r}, raw is {it["raw"]!r}')
    print(f'{records} records checked, {bad} invalid, {span_bad} span mismatches')
    return 0 if records and not bad and not span_bad else 1


if __name__ == '__main__':
    sys.exit(main())
