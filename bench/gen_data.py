#!/usr/bin/env python3
"""Build the benchmark corpus under bench/data (git-ignored) from the reports in
samples/ and ../shared/corpus (and ../shared/corpus2 when present):

  bench/data/many/NNN/*.txt   many report-sized files (a tenth of them GB18030)
  bench/data/large.txt        one large file of many reports back to back, a
                              volume as an office would compile it: web-page
                              copies are left out of it, since the cleaner keeps
                              only the article of a web page and one such copy
                              would make the whole volume one short report

Each copy has its digits changed (deterministically, --seed) so that no two
files are the same text and the figures vary as real reports do.  Nothing is
written outside bench/data, which is never committed.

    python3 bench/gen_data.py [--mb 56] [--large-mb 8] [--seed 1]
"""
import argparse
import glob
import os
import random
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def sources():
    pats = [os.path.join(ROOT, 'samples', '*.txt'),
            os.path.join(ROOT, '..', 'shared', 'corpus', '*.txt'),
            os.path.join(ROOT, '..', 'shared', 'corpus2', '*.txt')]
    texts = []
    for pat in pats:
        for p in sorted(glob.glob(pat)):
            raw = open(p, 'rb').read()
            for enc in ('utf-8', 'gb18030'):
                try:
                    texts.append(raw.decode(enc))
                    break
                except UnicodeDecodeError:
                    pass
    return [t for t in texts if t.strip()]


def vary(text, rng):
    """The same report with other digits: keeps the shape, changes the values."""
    return re.sub(r'\d', lambda m: str(rng.randrange(10)) if rng.random() < 0.5 else m.group(0), text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--mb', type=float, default=56, help='total size in MB (default 56)')
    ap.add_argument('--large-mb', type=float, default=8, help='size of large.txt in MB (default 8)')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--out', default=os.path.join(HERE, 'data'))
    args = ap.parse_args()

    texts = sources()
    if not texts:
        sys.exit('no source reports found in samples/ or ../shared/corpus')
    rng = random.Random(args.seed)
    if os.path.isdir(args.out):
        shutil.rmtree(args.out)
    many = os.path.join(args.out, 'many')
    os.makedirs(many)

    total_target = int(args.mb * 1e6)
    large_target = int(args.large_mb * 1e6)
    written = 0
    plain = [t for t in texts if not re.search('下载|文库|点击', t)] or texts
    with open(os.path.join(args.out, 'large.txt'), 'wb') as f:
        n = 0
        while n < large_target:
            data = (vary(rng.choice(plain), rng) + '\n\n').encode('utf-8')
            f.write(data)
            n += len(data)
    written += n

    i = 0
    while written < total_target:
        text = vary(texts[i % len(texts)], rng)
        enc = 'gb18030' if i % 10 == 9 else 'utf-8'
        try:
            data = text.encode(enc)
        except UnicodeEncodeError:
            data = text.encode('utf-8')
        d = os.path.join(many, f'{i // 1000:03d}')
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f'r{i:06d}.txt'), 'wb') as f:
            f.write(data)
        written += len(data)
        i += 1
    print(f'{args.out}: {i} files in many/ and large.txt ({n / 1e6:.1f} MB), '
          f'{written / 1e6:.1f} MB in all, from {len(texts)} source reports')


if __name__ == '__main__':
    main()
