#!/usr/bin/python3
"""gen-intel.py - writes a threat list of N random entries, for measuring what
a big list costs (load time, memory, `mamori read` throughput).

usage: gen-intel.py N [--kind ip|cidr|domain|url|mixed] [--seed S] > FILE

ip: random public IPv4 addresses; cidr: random /16../28 IPv4 networks; domain:
random names under a few TLDs; url: random https URLs; mixed: half addresses,
half networks (a list has one format, so names and URLs are not mixed in).
Deterministic for a seed.
"""
import argparse
import random
import sys


def rand_ip(r):
    while True:
        a = r.randrange(1, 224)
        if a not in (10, 127, 172, 192):
            return '%d.%d.%d.%d' % (a, r.randrange(256), r.randrange(256), r.randrange(256))


def rand_name(r, n):
    return ''.join(r.choice('abcdefghijklmnopqrstuvwxyz0123456789') for _ in range(n))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument('n', type=int)
    ap.add_argument('--kind', default='ip', choices=['ip', 'cidr', 'domain', 'url', 'mixed'])
    ap.add_argument('--seed', type=int, default=1)
    a = ap.parse_args()
    r = random.Random(a.seed)
    out = sys.stdout
    out.write('# gen-intel.py %d %s seed %d\n' % (a.n, a.kind, a.seed))
    tlds = ['com', 'net', 'xyz', 'top', 'shop', 'tokyo', 'info']
    for i in range(a.n):
        k = a.kind
        if k == 'mixed':
            k = 'ip' if i % 2 else 'cidr'
        if k == 'ip':
            out.write(rand_ip(r) + '\n')
        elif k == 'cidr':
            bits = r.randrange(16, 29)
            out.write('%s/%d\n' % (rand_ip(r), bits))
        elif k == 'domain':
            out.write('%s.%s\n' % (rand_name(r, r.randrange(6, 14)), r.choice(tlds)))
        else:
            out.write('https://%s.%s/%s\n' % (rand_name(r, r.randrange(6, 14)), r.choice(tlds),
                                             rand_name(r, r.randrange(4, 20))))
    return 0


if __name__ == '__main__':
    sys.exit(main())
