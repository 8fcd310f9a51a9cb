#!/usr/bin/env python3
"""Validates results.json files against docs/results.schema.json (JSON Schema 2020-12).

    validate_results.py SCHEMA RESULTS.json [MORE.json ...]

Prints every violation with the file and the JSON path; exit 0 all valid, 1 a file is invalid,
2 a file or the jsonschema module is missing (apt-get install python3-jsonschema).
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("validate_results: the jsonschema module is missing (apt-get install python3-jsonschema)", file=sys.stderr)
    sys.exit(2)


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        print(f"validate_results: {path}: {e}", file=sys.stderr)
        sys.exit(2)


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    schema = load(argv[1])
    validator_class = jsonschema.Draft202012Validator
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    invalid = 0
    for path in argv[2:]:
        document = load(path)
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
        for error in errors[:20]:
            where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path) or "(top level)"
            print(f"{path}: {where}: {error.message[:300]}")
        if errors:
            invalid += 1
            print(f"{path}: {len(errors)} violation(s) of {argv[1]}")
        else:
            print(f"{path}: valid ({len(document.get('cases', []))} cases)")
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
