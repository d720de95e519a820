#!/usr/bin/env python3
"""validate-json.py SCHEMA FILE [--lines]: validate a JSON document (or JSON Lines) against a JSON Schema.

Prints the first errors with their line numbers and exits 1 if any; used by the tests on real output.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    sys.exit("validate-json.py: the Python package jsonschema is missing (pip install jsonschema)")


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    schema = json.load(open(sys.argv[1]))
    validator = jsonschema.Draft202012Validator(schema)
    text = open(sys.argv[2]).read()
    documents = (
        [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
        if "--lines" in sys.argv
        else [(1, text)]
    )
    failures = 0
    for number, document in documents:
        for error in validator.iter_errors(json.loads(document)):
            failures += 1
            if failures <= 10:
                print(f"{sys.argv[2]}:{number}: {'/'.join(map(str, error.path))}: {error.message}")
    if not documents:
        sys.exit(f"{sys.argv[2]}: no document to validate")
    print(f"{len(documents)} document(s), {failures} error(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
