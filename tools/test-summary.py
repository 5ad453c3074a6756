#!/usr/bin/env python3
"""Prints the closing line CI reads, 'N passed, N failed, N skipped', from
meson's testlog.json files (missing files are ignored), and lists failures.
Exits 1 when anything failed or no test ran."""
import json
import os
import sys

passed = failed = skipped = 0
failures = []
for path in sys.argv[1:]:
    if not os.path.exists(path):
        continue
    build = os.path.dirname(os.path.dirname(path))
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            t = json.loads(line)
            r = t.get("result")
            if r in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif r == "SKIP":
                skipped += 1
            else:
                failed += 1
                failures.append(f"{build}: {t.get('name')} ({r})")
for f in failures:
    print("FAILED:", f)
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or passed == 0 else 0)
