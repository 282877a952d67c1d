#!/usr/bin/env python3
"""Validates an OpenAPI 3.1 document against the OpenAPI Initiative's own JSON Schemas.

    validate_openapi.py <document.json>

The schemas (openapi_schema/, from OAI/OpenAPI-Specification, Apache-2.0) are the 3.1 document
schema and its "schema-base" variant, which also checks every Schema Object against the OpenAPI
dialect of JSON Schema 2020-12. Checked with python3-jsonschema. Beyond the schema: every $ref
resolves, and every path template's variables are declared as path parameters.
"""
import json
import os
import re
import sys

import jsonschema
import yaml

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "openapi_schema")


def load_schemas():
    store = {}
    for name in ("schema", "schema-base", "dialect", "meta"):
        with open(os.path.join(HERE, name + ".yaml"), encoding="utf-8") as f:
            schema = yaml.safe_load(f)
        store[schema["$id"]] = schema
    return store


def check_refs(document):
    problems = []

    def walk(node, where):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                if not ref.startswith("#/"):
                    problems.append(f"{where}: external $ref {ref}")
                else:
                    target = document
                    for part in ref[2:].split("/"):
                        part = part.replace("~1", "/").replace("~0", "~")
                        if not isinstance(target, dict) or part not in target:
                            problems.append(f"{where}: $ref {ref} resolves to nothing")
                            break
                        target = target[part]
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}/{i}")

    walk(document, "#")
    for path, item in document.get("paths", {}).items():
        variables = set(re.findall(r"{([^}]+)}", path))
        for method, op in item.items():
            declared = {p["name"] for p in op.get("parameters", []) if p.get("in") == "path"}
            if declared != variables:
                problems.append(f"{method.upper()} {path}: path parameters {sorted(declared)} "
                                f"for variables {sorted(variables)}")
    ids = [op.get("operationId") for item in document.get("paths", {}).values()
           for op in item.values() if op.get("operationId")]
    for dup in {i for i in ids if ids.count(i) > 1}:
        problems.append(f"operationId {dup} is not unique")
    return problems


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        document = json.load(f)
    store = load_schemas()
    base = next(s for i, s in store.items() if "/schema-base/" in i)
    try:
        # jsonschema 4.18 and later resolve through `referencing`.
        import referencing
        import referencing.jsonschema
        registry = referencing.Registry().with_resources(
            (uri, referencing.jsonschema.DRAFT202012.create_resource(schema))
            for uri, schema in store.items())
        validator = jsonschema.Draft202012Validator(base, registry=registry)
    except ImportError:
        # Debian 12's jsonschema (4.10).
        resolver = jsonschema.RefResolver.from_schema(base, store=store)
        validator = jsonschema.Draft202012Validator(base, resolver=resolver)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    for e in errors[:20]:
        print("invalid at", "/".join(map(str, e.absolute_path)) or "(root)", ":", e.message[:300])
    problems = check_refs(document)
    for p in problems[:20]:
        print("invalid:", p)
    if errors or problems:
        print(f"{len(errors)} schema errors, {len(problems)} other problems")
        return 1
    print(f"valid OpenAPI {document.get('openapi')}: {len(document.get('paths', {}))} paths, "
          f"{len(document.get('components', {}).get('schemas', {}))} schemas")
    return 0


if __name__ == "__main__":
    sys.exit(main())
