#!/usr/bin/env python3
"""bench-mail.py - how well `mamori mail` tells phishing from legitimate mail.

usage: bench-mail.py MAMORI SHARED_DIR [--no-rspamd] [--list-misses] [--reasons]

Reads SHARED_DIR/data/mail/LABELS.tsv (tab-separated, header row, no
quoting; columns file, label, language, ...; labels phish, legit, spam),
runs `mamori mail --json` on the files in batches and prints:

  * detection rate on phish (a verdict of suspicious or phishing counts as
    flagged), false-positive rate on legit, both per language (ja, en, other),
    and the share of spam flagged (for information);
  * the same for rspamd when it is installed: a private rspamd is started on
    loopback with a minimal configuration in a temporary directory (DNS
    pointed at a closed loopback port, so it sends nothing anywhere, no
    redis); a message counts as flagged when rspamd's action is not
    "no action" or its score reaches the "add header" threshold.

With --reasons it also prints, for every reason id, on how many phish,
legit and spam files it scored (how much each rule finds and what it costs).

This is a benchmark, not a test: it never fails on the numbers.
"""
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

BATCH = 40


def load_labels(shared):
    base = os.path.join(shared, "data", "mail")
    path = os.path.join(base, "LABELS.tsv")
    rows = []
    with open(path, encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            rows.append((os.path.join(base, r["file"]), r["file"], r["label"], r["language"]))
    return rows


def lang_group(lang):
    return lang if lang in ("ja", "en") else "other"


def run_mamori(mamori, rows, reasons=None):
    """file path -> verdict ("phishing"/"suspicious"/"clean"/"error");
    reasons (a dict) gets file path -> set of reason ids that scored."""
    out = {}
    env = dict(os.environ, LC_ALL="C.UTF-8", ASAN_OPTIONS="detect_leaks=0")
    for i in range(0, len(rows), BATCH):
        paths = [r[0] for r in rows[i:i + BATCH]]
        p = subprocess.run([mamori, "mail", "--json", *paths], capture_output=True, env=env,
                           timeout=600)
        for line in p.stdout.decode("utf-8", "replace").splitlines():
            try:
                o = json.loads(line)
            except ValueError:
                continue
            f = o.get("file")
            if reasons is not None:
                ids = {x.get("id") for x in o.get("reasons", []) if x.get("score", 0) > 0}
                reasons.setdefault(f, set()).update(ids)
            prev = out.get(f)
            v = o.get("verdict", "error")
            # an mbox-looking file with several messages: the worst one counts
            rank = {"clean": 0, "suspicious": 1, "phishing": 2}
            if prev is None or rank.get(v, 0) > rank.get(prev, 0):
                out[f] = v
        for pth in paths:
            out.setdefault(pth, "error")
    return out


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Rspamd:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="mamori-rspamd.")
        self.proc = None
        self.port = free_port()
        self.why = ""
        self.add_header = 6.0

    def start(self):
        exe = shutil.which("rspamd")
        if not exe:
            self.why = "rspamd not installed"
            return False
        local = os.path.join(self.dir, "local")
        os.makedirs(os.path.join(local, "local.d"))
        os.makedirs(os.path.join(local, "override.d"))
        for d in ("db", "run", "log"):
            os.makedirs(os.path.join(self.dir, d))
        ld = os.path.join(local, "local.d")
        ov = os.path.join(local, "override.d")
        with open(os.path.join(ov, "worker-normal.inc"), "w") as f:
            f.write('bind_socket = "127.0.0.1:%d";\ncount = 1;\n' % self.port)
        with open(os.path.join(ov, "worker-controller.inc"), "w") as f:
            f.write('bind_socket = "127.0.0.1:%d";\ncount = 1;\n' % free_port())
        with open(os.path.join(ov, "worker-proxy.inc"), "w") as f:
            f.write("enabled = false;\n")
        with open(os.path.join(ov, "worker-fuzzy.inc"), "w") as f:
            f.write("enabled = false;\n")
        # DNS to a closed loopback port: nothing leaves the machine, lookups fail fast.
        with open(os.path.join(ld, "options.inc"), "w") as f:
            f.write('dns { nameserver = ["127.0.0.1:5"]; timeout = 0.2s; retransmits = 1; }\n'
                    "task_timeout = 20s;\n")
        with open(os.path.join(ov, "logging.inc"), "w") as f:
            f.write('type = "file";\nfilename = "%s/log/rspamd.log";\nlevel = "error";\n'
                    % self.dir)
        # modules that only wait for the network or redis
        for mod in ("rbl", "surbl", "fuzzy_check", "neural", "ratelimit", "greylist",
                    "replies", "url_reputation", "reputation", "asn", "emails", "dcc",
                    "history_redis", "bayes_expiry", "clickhouse", "elastic", "metadata_exporter",
                    "mx_check", "external_services", "antivirus", "dmarc", "spamassassin"):
            with open(os.path.join(ov, mod + ".conf"), "w") as f:
                f.write("enabled = false;\n")
        with open(os.path.join(ov, "classifier-bayes.conf"), "w") as f:
            f.write("backend = \"sqlite3\";\n")
        args = [exe, "-f", "-u", str(os.getuid()), "-g", str(os.getgid()),
                "-c", "/etc/rspamd/rspamd.conf", "--insecure",
                "--var=LOCAL_CONFDIR=" + local,
                "--var=DBDIR=" + os.path.join(self.dir, "db"),
                "--var=RUNDIR=" + os.path.join(self.dir, "run"),
                "--var=LOGDIR=" + os.path.join(self.dir, "log")]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     start_new_session=True)
        for _ in range(1200):  # first start compiles its regexps: minutes on 2 cores
            if self.proc.poll() is not None:
                self.why = "rspamd exited: " + self.proc.stderr.read().decode()[-300:]
                return False
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/ping" % self.port,
                                            timeout=1) as r:
                    if r.status == 200:
                        return True
            except OSError:
                time.sleep(0.2)
        self.why = "rspamd did not answer on loopback within 4 minutes"
        return False

    def check(self, path):
        with open(path, "rb") as f:
            data = f.read()
        req = urllib.request.Request("http://127.0.0.1:%d/checkv2" % self.port, data=data,
                                     method="POST")
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                o = json.loads(r.read().decode("utf-8", "replace"))
        except (OSError, ValueError):
            return "error"
        action = o.get("action", "no action")
        score = o.get("score", 0.0)
        flagged = action != "no action" or score >= self.add_header
        return "suspicious" if flagged else "clean"

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        shutil.rmtree(self.dir, ignore_errors=True)


def report(name, rows, verdicts):
    def flagged(p):
        return verdicts.get(p) in ("suspicious", "phishing")

    print("== %s" % name)
    print("  %-8s %22s %22s %16s" % ("language", "phish flagged", "legit flagged (FP)",
                                      "spam flagged"))
    for g in ("ja", "en", "other", "all"):
        sel = [r for r in rows if g == "all" or lang_group(r[3]) == g]
        cells = []
        for label in ("phish", "legit", "spam"):
            s = [r for r in sel if r[2] == label]
            n = sum(1 for r in s if flagged(r[0]))
            cells.append("%d/%d = %5.1f%%" % (n, len(s), 100.0 * n / len(s)) if s else "-")
        print("  %-8s %22s %22s %16s" % (g, cells[0], cells[1], cells[2]))
    errs = sum(1 for r in rows if verdicts.get(r[0]) == "error")
    if errs:
        print("  (%d files without a verdict)" % errs)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    mamori, shared = args
    try:
        rows = load_labels(shared)
    except OSError as e:
        print("bench-mail: no labelled mail (%s); skipped" % e)
        return 0
    t0 = time.time()
    fired = {}
    mine = run_mamori(mamori, rows, fired)
    print("mamori mail: %d files in %.1f s" % (len(rows), time.time() - t0))
    report("mamori mail", rows, mine)
    if "--reasons" in sys.argv:
        counts = {}
        for r in rows:
            for rid in fired.get(r[0], ()):
                counts.setdefault(rid, {"phish": 0, "legit": 0, "spam": 0})[r[2]] += 1
        print("  %-36s %6s %6s %6s" % ("reason (files where it scored)", "phish", "legit", "spam"))
        for rid in sorted(counts):
            c = counts[rid]
            print("  %-36s %6d %6d %6d" % (rid, c["phish"], c["legit"], c["spam"]))
    if "--list-misses" in sys.argv:
        for r in rows:
            v = mine.get(r[0])
            if (r[2] == "phish" and v not in ("suspicious", "phishing")) or \
               (r[2] == "legit" and v in ("suspicious", "phishing")):
                print("  miss %s %s %s" % (r[2], v, r[1]))
    if "--no-rspamd" in sys.argv:
        return 0
    rs = Rspamd()
    try:
        if not rs.start():
            print("rspamd: not compared (%s)" % rs.why)
            return 0
        t0 = time.time()
        theirs = {r[0]: rs.check(r[0]) for r in rows}
        print("rspamd %s: %d files in %.1f s (loopback, no DNS, no redis)"
              % ("3.x", len(rows), time.time() - t0))
        report("rspamd", rows, theirs)
    finally:
        rs.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
