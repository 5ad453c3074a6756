#!/usr/bin/python3
"""device-facts.py - golden test of the device inventory and its findings, end to end
through the CLI, on the generator's dev-* scenarios (src/scenario/scn-devices.c).

usage: device-facts.py MAMORI [FACTS_TSV]

FACTS_TSV (default: scenarios-devices.tsv next to this script) has one check per line,
tab-separated, the scenario first:
    SCN  known    MAC  NAME  OWNER  [NOTE]      a row of the scenario's known-device CSV
    SCN  devices  COUNT                         how many devices `mamori devices` lists
    SCN  alert    CATEGORY  [COUNT]  [FILTER...] alerts of that category matching every
                                                filter: COUNT of them (default: at least one)
    SCN  noalert  CATEGORY  [FILTER...]         no alert of that category matches
    SCN  set      KEY=VALUE                     passed to `mamori read` as --set KEY=VALUE
    SCN  intel    LIST  LINE                    a line of threat list LIST (a file LIST.list in a
                                                directory passed to `mamori read` as --intel DIR;
                                                the rest of the line, tabs included)
CATEGORY is a category (scan.port), a prefix ending in '.' (scan.), or '*' for every
category except device.* (a negative scenario: `noalert * severity=high|critical`).
    SCN  device   MAC  FIELD  OP  [VALUE]       a fact about the device MAC belongs to
    SCN  explained                              every alert has a title, explanation, action
COUNT is N (exactly), >=N or <=N. A FILTER is key=value on a field of the alert's JSON
(dotted into objects: facts.ip=...); value may list alternatives with |. MAC and
device values are compared lowercase. FIELD is dotted into the device's JSON object
(names.source looks into each element of the names list). OP is one of
    =  VALUE         some value there equals VALUE (true/false for booleans)
    != VALUE         no value there equals VALUE
    contains VALUE   some value contains VALUE (ignoring case)
    !contains VALUE  none does
    count COUNT      the number of values there (the list's length)
Each scenario is generated once (`mamori gen-scenario NAME`), read once into a fresh
database (`mamori read --db DB [--known CSV] FILE`), then listed with `mamori devices
--json` and `mamori alerts --json`. Prints ok/FAIL per check and a summary line; exits
0 when every check holds, 1 otherwise (2 for a bad facts file).
"""
import csv
import json
import os
import re
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
    if v is None:
        return 'null'
    return str(v)


def norm_mac(s):
    return s.strip().lower().replace('-', ':')


def count_ok(spec, n):
    """spec is N, >=N or <=N."""
    m = re.fullmatch(r'(>=|<=)?(\d+)', spec)
    if not m:
        raise ValueError('bad count %r' % spec)
    want = int(m.group(2))
    if m.group(1) == '>=':
        return n >= want
    if m.group(1) == '<=':
        return n <= want
    return n == want


def is_count(tok):
    return re.fullmatch(r'(>=|<=)?\d+', tok) is not None


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return r.returncode, r.stdout.decode('utf-8', 'replace'), r.stderr.decode('utf-8', 'replace')


def json_lines(out):
    objs = []
    for line in out.splitlines():
        line = line.strip()
        if line:
            objs.append(json.loads(line))
    return objs


def alert_matches(a, filters):
    for key, alts in filters:
        vals = [text(v) for v in walk(a, key)]
        if key in ('device', 'mac') or key.endswith('.mac'):
            vals = [norm_mac(v) for v in vals]
        if not any(v in alts for v in vals):
            return False
    return True


def category_matches(have, want):
    if want == '*':
        return not have.startswith('device.')
    if want.endswith('.'):
        return have.startswith(want)
    return have == want


def parse_filters(toks):
    out = []
    for t in toks:
        key, eq, val = t.partition('=')
        if not eq or not key:
            raise ValueError('bad filter %r (want key=value)' % t)
        alts = val.split('|')
        if key in ('device', 'mac') or key.endswith('.mac'):
            alts = [norm_mac(x) for x in alts]
        out.append((key, alts))
    return out


def find_device(devs, mac):
    mac = norm_mac(mac)
    for d in devs:
        if norm_mac(text(d.get('mac', ''))) == mac:
            return d
    for d in devs:
        if mac in [norm_mac(text(m)) for m in d.get('macs', []) or []]:
            return d
    return None


def describe_alerts(alerts):
    return ['%s/%s %s' % (a.get('device'), a.get('severity'), a.get('title', ''))[:100]
            for a in alerts][:6]


class Scenario:
    def __init__(self, name):
        self.name = name
        self.known = []
        self.sets = []
        self.intel = {}
        self.devices = None
        self.alerts = None
        self.error = None

    def analyse(self, mamori, tmp):
        pcap = os.path.join(tmp, self.name + '.pcap')
        db = os.path.join(tmp, self.name + '.db')
        known_args = []
        if self.known:
            path = os.path.join(tmp, self.name + '-known.csv')
            with open(path, 'w', encoding='utf-8', newline='') as fh:
                w = csv.writer(fh, lineterminator='\n')
                w.writerow(['mac', 'name', 'owner', 'note'])
                for row in self.known:
                    w.writerow(row)
            known_args = ['--known', path]
        intel_args = []
        if self.intel:
            idir = os.path.join(tmp, self.name + '-intel')
            os.makedirs(idir, exist_ok=True)
            for lname, lines in self.intel.items():
                with open(os.path.join(idir, lname + '.list'), 'w', encoding='utf-8') as fh:
                    fh.write(''.join(x + '\n' for x in lines))
            intel_args = ['--intel', idir]
        steps = [
            ('gen-scenario', [mamori, 'gen-scenario', self.name, '-o', pcap]),
            ('read', [mamori, 'read', '--db', db] + known_args + intel_args +
             [x for kv in self.sets for x in ('--set', kv)] + [pcap]),
            ('devices', [mamori, 'devices', '--db', db] + known_args + ['--json']),
            ('alerts', [mamori, 'alerts', '--db', db, '--json']),
        ]
        for what, cmd in steps:
            rc, out, err = run(cmd)
            if rc != 0:
                self.error = 'mamori %s exited %d: %s' % (what, rc, err.strip()[:400])
                return
            try:
                if what == 'devices':
                    self.devices = json_lines(out)
                elif what == 'alerts':
                    self.alerts = json_lines(out)
            except ValueError as e:
                self.error = 'mamori %s printed bad JSON: %s' % (what, e)
                return


def check(sc, kind, args):
    """Returns (ok, message)."""
    if kind == 'devices':
        n = len(sc.devices)
        return count_ok(args[0], n), 'devices %s (saw %d: %s)' % (
            args[0], n, ' '.join(text(d.get('mac')) for d in sc.devices)[:300])
    if kind in ('alert', 'noalert'):
        cat = args[0]
        rest = args[1:]
        spec = None
        if kind == 'alert' and rest and is_count(rest[0]):
            spec, rest = rest[0], rest[1:]
        filters = parse_filters(rest)
        of_cat = [a for a in sc.alerts if category_matches(text(a.get('category')), cat)]
        hits = [a for a in of_cat if alert_matches(a, filters)]
        what = ' '.join([kind, cat] + ([spec] if spec else []) + rest)
        seen = 'saw %d of %s: %s' % (len(of_cat), cat, describe_alerts(of_cat))
        if kind == 'noalert':
            return not hits, '%s (%s)' % (what, seen)
        ok = count_ok(spec, len(hits)) if spec else len(hits) >= 1
        return ok, '%s (%d match; %s)' % (what, len(hits), seen)
    if kind == 'explained':
        bad = [a for a in sc.alerts
               if not all(text(a.get(k, '')).strip() for k in ('title', 'explanation', 'action'))]
        return not bad, 'explained (%d alerts, %d without title/explanation/action: %s)' % (
            len(sc.alerts), len(bad), describe_alerts(bad))
    if kind == 'device':
        if len(args) < 3:
            raise ValueError('device needs MAC FIELD OP [VALUE]')
        mac, field, op = args[0], args[1], args[2]
        want = args[3] if len(args) > 3 else ''
        what = 'device %s %s %s %s' % (mac, field, op, want)
        d = find_device(sc.devices, mac)
        if d is None:
            return False, '%s (no such device)' % what
        vals = [text(v) for v in walk(d, field)]
        if field in ('mac', 'macs'):
            vals = [norm_mac(v) for v in vals]
            want = norm_mac(want)
        if op == '=':
            ok = want in vals
        elif op == '!=':
            ok = want not in vals
        elif op == 'contains':
            ok = any(want.lower() in v.lower() for v in vals)
        elif op == '!contains':
            ok = not any(want.lower() in v.lower() for v in vals)
        elif op == 'count':
            ok = count_ok(want, len(vals))
        else:
            raise ValueError('unknown op %r' % op)
        return ok, '%s (saw %s)' % (what, vals[:10])
    raise ValueError('unknown check %r' % kind)


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    mamori = os.path.abspath(sys.argv[1])
    tsv = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__),
                                                              'scenarios-devices.tsv')
    scenarios = {}
    checks = []
    with open(tsv, encoding='utf-8') as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip('\n')
            if not line.strip() or line.startswith('#'):
                continue
            parts = line.split('\t')
            if len(parts) < 2:
                print('%s:%d: need at least 2 tab-separated columns' % (tsv, n))
                return 2
            name, kind, args = parts[0], parts[1], parts[2:]
            sc = scenarios.setdefault(name, Scenario(name))
            if kind == 'set':
                if len(args) != 1 or '=' not in args[0]:
                    print('%s:%d: set needs KEY=VALUE' % (tsv, n))
                    return 2
                sc.sets.append(args[0])
                continue
            if kind == 'intel':
                if len(args) < 2 or not re.fullmatch(r'[A-Za-z0-9_-]+', args[0]):
                    print('%s:%d: intel needs LIST LINE' % (tsv, n))
                    return 2
                # A LINE with tabs (IPsum) spans the remaining columns.
                sc.intel.setdefault(args[0], []).append('\t'.join(args[1:]))
                continue
            if kind == 'known':
                if len(args) < 3 or len(args) > 4:
                    print('%s:%d: known needs MAC NAME OWNER [NOTE]' % (tsv, n))
                    return 2
                sc.known.append((args + [''])[:4])
                continue
            if kind not in ('devices', 'alert', 'noalert', 'device', 'explained'):
                print('%s:%d: unknown check %r' % (tsv, n, kind))
                return 2
            if kind != 'explained' and not args:
                print('%s:%d: %s needs arguments' % (tsv, n, kind))
                return 2
            checks.append((n, sc, kind, args))

    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix='mamori-device-facts.') as tmp:
        for name in sorted(scenarios):
            scenarios[name].analyse(mamori, tmp)
            if scenarios[name].error:
                print('FAIL %s: %s' % (name, scenarios[name].error))
    for sc in scenarios.values():
        if sc.error:
            skipped = sum(1 for c in checks if c[1] is sc)
            failed += skipped
            print('FAIL %s: %d checks not run' % (sc.name, skipped))
    for n, sc, kind, args in checks:
        if sc.error:
            continue
        try:
            ok, msg = check(sc, kind, args)
        except ValueError as e:
            print('%s:%d: %s' % (tsv, n, e))
            return 2
        if ok:
            passed += 1
            print('ok   %s %s' % (sc.name, msg.split(' (', 1)[0]))
        else:
            failed += 1
            print('FAIL %s %s' % (sc.name, msg))
    print('device facts: %d hold, %d do not' % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
