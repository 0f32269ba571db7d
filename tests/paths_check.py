#!/usr/bin/env python3
"""The fast paths and their fallbacks give the same records.

    paths_check.py EXE_A EXE_B [NAME=VALUE ...]

Runs EXE_A, and EXE_B with the environment NAME=VALUE added, over the
samples, the holdout sets, ../shared's corpora (when present) and a set of
generated texts, and compares the JSON Lines byte for byte.  The suite uses
it twice: one build with and without EDUEXTRACT_NO_AVX2=1 (AVX2 against
SSE2 code, runtime-dispatched), and, in scripts/test.sh, the plain build
against the sanitizer build compiled with -U__SSE2__ (SSE2 against the
portable code).  Unit tests check each fast path against its fallback on
their own inputs; this one checks whole records on whole reports, where a
sieve that drops one position in a 16-byte block changes a figure's claim.

The generated texts put figures, claims, standards, headings, placeholders
and bare units at every offset against 16- and 32-byte blocks (padding of
one to forty bytes), in simplified and traditional characters, with
full-width digits, spaced-out characters and GB18030 copies.  Their wording
is made up here from short fragments; no report's sentence is copied.
Exit 0 when every file gives the same records, 1 otherwise."""
import glob
import json
import os
import random
import subprocess
import sys
import tempfile

NAMES = ['小学入学率', '初中巩固率', '生均图书', '师生比', '平均班额', '专任教师学历合格率',
         '生均校舍建筑面积', '生均教学仪器设备值', '入學率', '師生比', '学 历 合 格 率',
         '占地面积', '在校学生', '教学班', '寄宿学生', '生均体育运动场馆面积']
VALUES = ['99.5%', '100%', '98.26％', '１８.４册', '1:16.2', '16.2:1', '45人', '3260人',
          '12.5平方米', '2400元', 'xx%', '___人', '百分之九十九', '九成', '4.8万册', '平方米',
          '达100', '为97.3', '1 : 1 8']
CLAIMS = ['已达标', '未达标', '均已达标的情况良好', '达到省标准', '符合要求的', '达到了国家要求',
          '不达标', '基本达标了', '高于省定标准', '']
STANDARDS = ['省评估标准20册', '国家标准为1:19', '省标55人', '按要求不低于95%', '']
HEADINGS = ['一、', '（二）', '3.', '〔四〕', '第一项:', '指标二:', '一是', '(三)', '五、']
JOIN = ['，', ',', '；', '。', '、', '，其中', '，分别为', '', ' ']
PAD = ['', ' ', '  ', '-', '县', '全县', 'ab', '，', '的', '了']


def fragment(rng):
    parts = [rng.choice(PAD) * rng.randrange(1, 14)]
    if rng.random() < 0.2:
        parts.append(rng.choice(HEADINGS) + rng.choice(NAMES)[:4] + '\n')
    for _ in range(rng.randrange(1, 4)):
        parts.append(rng.choice(NAMES) + rng.choice(['', '为', '达到', '是', ':']) + rng.choice(VALUES))
        if rng.random() < 0.5:
            parts.append(rng.choice(JOIN) + rng.choice(STANDARDS))
        parts.append(rng.choice(JOIN) + rng.choice(CLAIMS))
    if rng.random() < 0.2:
        parts.append('分别为' + '、'.join(rng.choice(VALUES) for _ in range(rng.randrange(3, 6))))
    parts.append(rng.choice(['。', '。\n', '；', '\n', '。\n\n']))
    return ''.join(parts)


def generated(tmp):
    rng = random.Random(20261122)
    paths = []
    for i in range(160):
        text = '某县第%s小学工作自查报告\n' % '一二三四五六七八九十'[i % 10]
        text += ''.join(fragment(rng) for _ in range(rng.randrange(8, 30)))
        path = os.path.join(tmp, f'gen{i:03d}.txt')
        data = text.encode('gb18030') if i % 7 == 3 else text.encode('utf-8')
        with open(path, 'wb') as f:
            f.write(data)
        paths.append(path)
    return paths


def records_by_file(exe, files, env):
    """Each file's JSON lines, from one run over all files."""
    p = subprocess.run([exe, '--quiet'] + files, capture_output=True, env=env, timeout=900)
    out = {}
    for line in p.stdout.split(b'\n'):
        if line:
            path = json.loads(line)['source']['path']
            out.setdefault(path, []).append(line)
    return p.returncode, out


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    exe_a, exe_b = sys.argv[1], sys.argv[2]
    env_b = dict(os.environ)
    for kv in sys.argv[3:]:
        k, _, v = kv.partition('=')
        env_b[k] = v
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    shared = os.environ.get('EDX_SHARED', os.path.join(root, '..', 'shared'))
    files = sorted(glob.glob(os.path.join(root, 'samples', '*.txt')))
    files += sorted(glob.glob(os.path.join(root, 'tests', 'holdout*', '*.txt')))
    files += sorted(glob.glob(os.path.join(shared, 'corpus', '*.txt')))
    files += sorted(glob.glob(os.path.join(shared, 'corpus2', '*.txt')))
    with tempfile.TemporaryDirectory() as tmp:
        files += generated(tmp)
        ra, oa = records_by_file(exe_a, files, dict(os.environ))
        rb, ob = records_by_file(exe_b, files, env_b)
        bad = [os.path.basename(f) for f in files if f not in oa or oa.get(f) != ob.get(f)]
        if ra != rb:
            bad.append(f'exit status {ra} against {rb}')
    label = ' '.join(sys.argv[3:]) or os.path.basename(os.path.dirname(os.path.abspath(exe_b)))
    if bad:
        print(f'FAIL: {len(bad)} of {len(files)} files give other records with {label}: '
              + ', '.join(bad[:10]))
        return 1
    print(f'ok: {len(files)} files give the same records with {label}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
