#!/usr/bin/env python3
"""chromium.py - look at a page the way a person would, in real headless
Chromium (Debian `chromium`), with the network off.

  chromium.py check PAGE.html --js CHECK.js [--width W --height H]
      Loads PAGE.html from a file:// URL with CHECK.js appended, lets it run,
      and prints on stdout the JSON object CHECK.js produced. CHECK.js is the
      body of a function: it returns a plain object (or a Promise of one).
      The harness adds to it `resources`: every URL the page fetched other
      than itself and data: URLs (a self-contained page has none), and
      `errors`: uncaught JavaScript errors.
  chromium.py screenshot PAGE.html OUT.png [--width W --height H]
  chromium.py pdf PAGE.html OUT.pdf

Exit status: 0 done, 1 Chromium failed, 77 Chromium is not installed (tests
skip). Nothing leaves the machine: every host name resolves to nothing,
background networking, component updates and sync are off, and a fresh
profile is used each time.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

MARK = "mamori-check-result"


def chromium_path():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        p = shutil.which(name)
        if p:
            return p
    return None


def base_args(profile, width, height):
    return [
        "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--no-default-browser-check", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-default-apps",
        "--disable-extensions", "--disable-domain-reliability", "--no-pings",
        "--metrics-recording-only", "--disable-breakpad", "--mute-audio",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--user-data-dir=" + profile, "--hide-scrollbars",
        "--window-size=%d,%d" % (width, height), "--force-device-scale-factor=1",
    ]


def run(cmd, timeout=120):
    env = dict(os.environ, HOME=tempfile.gettempdir())
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout, env=env)
    return p


def main(argv):
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["check", "screenshot", "pdf"])
    ap.add_argument("page")
    ap.add_argument("out", nargs="?")
    ap.add_argument("--js")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=900)
    a = ap.parse_args(argv)
    exe = chromium_path()
    if not exe:
        print("chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 77
    page = os.path.abspath(a.page)
    with tempfile.TemporaryDirectory(prefix="mamori-chromium-") as tmp:
        profile = os.path.join(tmp, "profile")
        args = [exe] + base_args(profile, a.width, a.height)
        if a.mode == "screenshot":
            p = run(args + ["--screenshot=" + os.path.abspath(a.out), "file://" + page])
            ok = os.path.exists(a.out) and os.path.getsize(a.out) > 0
            if not ok:
                sys.stderr.write(p.stderr.decode("utf-8", "replace")[-2000:])
            return 0 if ok else 1
        if a.mode == "pdf":
            p = run(args + ["--print-to-pdf=" + os.path.abspath(a.out),
                            "--no-pdf-header-footer", "file://" + page])
            ok = os.path.exists(a.out) and os.path.getsize(a.out) > 0
            if not ok:
                sys.stderr.write(p.stderr.decode("utf-8", "replace")[-2000:])
            return 0 if ok else 1
        with open(a.js, encoding="utf-8") as f:
            body = f.read()
        with open(page, encoding="utf-8", errors="replace") as f:
            html = f.read()
        script = """
<script>
window.__mamoriErrors = [];
window.addEventListener('error', function (e) { window.__mamoriErrors.push(String(e.message)); });
window.addEventListener('load', function () {
  setTimeout(function () {
    Promise.resolve((function () { %s })()).then(function (r) {
      r = r || {};
      var self = location.href;
      r.resources = performance.getEntriesByType('resource').map(function (e) { return e.name; })
        .filter(function (u) { return u !== self && u.indexOf('data:') !== 0; });
      r.errors = window.__mamoriErrors;
      var pre = document.createElement('pre');
      pre.id = '%s';
      pre.textContent = JSON.stringify(r);
      document.body.appendChild(pre);
    }, function (e) {
      var pre = document.createElement('pre');
      pre.id = '%s';
      pre.textContent = JSON.stringify({check_error: String(e)});
      document.body.appendChild(pre);
    });
  }, 50);
});
</script>
""" % (body, MARK, MARK)
        # Before </body>, or at the end when there is none.
        i = html.lower().rfind("</body>")
        html = html[:i] + script + html[i:] if i >= 0 else html + script
        # Next to the original so relative references (there should be none)
        # behave the same.
        probe = os.path.join(os.path.dirname(page), ".mamori-check-%d.html" % os.getpid())
        with open(probe, "w", encoding="utf-8") as f:
            f.write(html)
        try:
            p = run(args + ["--dump-dom", "--virtual-time-budget=10000", "file://" + probe])
        finally:
            os.unlink(probe)
        dom = p.stdout.decode("utf-8", "replace")
        m = re.search(r'<pre id="%s">(.*?)</pre>' % MARK, dom, re.S)
        if not m:
            sys.stderr.write("chromium produced no result\n")
            sys.stderr.write(p.stderr.decode("utf-8", "replace")[-2000:])
            return 1
        import html as htmlmod
        res = json.loads(htmlmod.unescape(m.group(1)))
        res["resources"] = [u for u in res.get("resources", []) if not u.endswith(os.path.basename(probe))]
        print(json.dumps(res, ensure_ascii=False))
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
