#!/usr/bin/python3
"""eve-validate.py - check that every line of EVE JSON files validates against a schema.

usage: eve-validate.py [--schema SCHEMA.json] [--quiet] EVE_FILE...

The default schema is $MAMORI_SHARED/data/eve-schema.json, else ../shared/data/eve-schema.json
relative to the repository (Suricata's published EVE schema, JSON Schema draft 2020-12).

Each line must be one JSON object (an empty file is valid: no events). Every failing line is
reported as FILE:LINE: message (at most 20 per file). Exit 0 when all lines validate, 1 when any
does not, 2 on bad usage (missing file, unreadable schema), 77 (skip) when jsonschema is missing.
"""
import argparse
import json
import os
import sys

MAX_REPORTS_PER_FILE = 20


def default_schema():
    shared = os.environ.get('MAMORI_SHARED')
    if not shared:
        here = os.path.dirname(os.path.abspath(__file__))
        shared = os.path.join(here, '..', '..', '..', 'shared')
    return os.path.join(shared, 'data', 'eve-schema.json')


def make_validator(schema_path):
    import jsonschema  # imported here so that a missing module is a clean skip
    with open(schema_path, encoding='utf-8') as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    cls.check_schema(schema)
    return cls(schema)


def validate_file(validator, path, quiet=False, out=sys.stdout):
    """Returns (lines, bad). Reports bad lines on out."""
    lines = bad = 0
    with open(path, 'rb') as f:
        for lineno, raw in enumerate(f, 1):
            lines += 1
            problem = None
            if not raw.endswith(b'\n'):
                problem = 'last line is not terminated by a newline (truncated write?)'
            try:
                text = raw.decode('utf-8')
            except UnicodeDecodeError as e:
                problem = 'not UTF-8: %s' % e
                text = None
            if text is not None and problem is None:
                try:
                    obj = json.loads(text)
                except ValueError as e:
                    problem = 'not JSON: %s' % e
                else:
                    if not isinstance(obj, dict):
                        problem = 'not a JSON object'
                    else:
                        errs = sorted(validator.iter_errors(obj), key=lambda e: list(e.path))
                        if errs:
                            e = errs[0]
                            where = '/'.join(str(p) for p in e.absolute_path) or '(top)'
                            problem = '%s: %s%s' % (where, e.message[:300],
                                                    ' (+%d more)' % (len(errs) - 1)
                                                    if len(errs) > 1 else '')
            if problem:
                bad += 1
                if not quiet and bad <= MAX_REPORTS_PER_FILE:
                    print('%s:%d: %s' % (path, lineno, problem), file=out)
    if bad > MAX_REPORTS_PER_FILE and not quiet:
        print('%s: ... %d invalid lines in all' % (path, bad), file=out)
    return lines, bad


def main():
    ap = argparse.ArgumentParser(description='Validate EVE JSON lines against a JSON schema.')
    ap.add_argument('--schema', default=None)
    ap.add_argument('--quiet', action='store_true', help='only the summary line')
    ap.add_argument('files', nargs='+')
    args = ap.parse_args()
    schema = args.schema or default_schema()
    if not args.schema and not os.path.exists(schema):
        # The schema comes from ../shared, which a bare checkout may not have.
        print('SKIP: EVE schema not found at %s (../shared/data absent)' % schema)
        return 77
    try:
        validator = make_validator(schema)
    except ImportError:
        print('SKIP: python3 module jsonschema not installed (apt-get install python3-jsonschema)')
        return 77
    except (OSError, ValueError) as e:
        print('eve-validate: cannot load schema %r: %s' % (schema, e), file=sys.stderr)
        return 2
    total_lines = total_bad = 0
    for path in args.files:
        try:
            lines, bad = validate_file(validator, path, args.quiet)
        except OSError as e:
            print('eve-validate: %s' % e, file=sys.stderr)
            return 2
        total_lines += lines
        total_bad += bad
    print('eve-validate: %d file(s), %d line(s), %d invalid' %
          (len(args.files), total_lines, total_bad))
    return 1 if total_bad else 0


if __name__ == '__main__':
    sys.exit(main())
