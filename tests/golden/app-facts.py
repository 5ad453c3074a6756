#!/usr/bin/python3
"""app-facts.py - golden test of the protocol parsers on the generator's own captures.

usage: app-facts.py MAMORI [FACTS_TSV]

FACTS_TSV (default: scenarios-app.tsv next to this script) has one fact per line:
    scenario <TAB> event_type <TAB> field path <TAB> expected value
e.g. `app-http  http  hostname  www.example.co.jp` or `app-ssh  ssh  client.software_version
OpenSSH_9.2p1`. The path is dotted into the EVE object of that event type (a list on the way
matches if any element matches). Each scenario is generated once (`mamori gen-scenario NAME`),
read once (`mamori read --eve`), and every fact must be found in at least one event of that type.
Prints ok/FAIL per fact and a summary line; exits 0 when all facts hold, 1 otherwise.
"""
import json
import os
import subprocess
import sys
import tempfile


def walk(obj, path):
    """Values found at a dotted path, descending into lists."""
    if not path:
        return list(obj) if isinstance(obj, list) else [obj]
    if isinstance(obj, list):
        out = []
        for x in obj:
            out += walk(x, path)
        return out
    if not isinstance(obj, dict):
        return []
    head, _, rest = path.partition('.')
    if head not in obj:
        return []
    return walk(obj[head], rest)


def text(v):
    if isinstance(v, bool):
        return 'true' if v else 'false'
    return str(v)


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    mamori = os.path.abspath(sys.argv[1])
    tsv = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__),
                                                              'scenarios-app.tsv')
    facts = []
    with open(tsv, encoding='utf-8') as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip('\n')
            if not line or line.startswith('#'):
                continue
            parts = line.split('\t')
            if len(parts) != 4:
                print('%s:%d: need 4 tab-separated columns' % (tsv, n))
                return 2
            facts.append(parts)
    events = {}
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix='mamori-app-facts.') as tmp:
        for scn in sorted({f[0] for f in facts}):
            pcap = os.path.join(tmp, scn + '.pcap')
            eve = os.path.join(tmp, scn + '.json')
            subprocess.run([mamori, 'gen-scenario', scn, '-o', pcap], check=True,
                           stdout=subprocess.DEVNULL)
            r = subprocess.run([mamori, 'read', '--eve', eve, '--db', os.path.join(tmp, scn + '.db'),
                                pcap], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            if r.returncode != 0:
                print('FAIL %s: mamori read exited %d: %s' % (scn, r.returncode,
                                                             r.stderr.decode()[:500]))
                failed += 1
                continue
            evs = []
            with open(eve, encoding='utf-8') as fh:
                for line in fh:
                    evs.append(json.loads(line))
            events[scn] = evs
        for scn, etype, path, want in facts:
            evs = events.get(scn)
            if evs is None:
                continue
            got = []
            for ev in evs:
                # An object Suricata writes beside the event's own (the "email" of an smtp
                # event) is matched by its key.
                if ev.get('event_type') == etype or (etype in ev and
                                                     etype != ev.get('event_type')):
                    got += [text(v) for v in walk(ev.get(etype, {}), path)]
            if want in got:
                passed += 1
                print('ok   %s %s %s = %s' % (scn, etype, path, want))
            else:
                failed += 1
                print('FAIL %s %s %s: want %r, saw %s' % (scn, etype, path, want,
                                                          sorted(set(got))[:8]))
    print('facts: %d hold, %d do not' % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
