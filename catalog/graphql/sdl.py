"""Print Lantern's GraphQL schema as SDL into catalog/graphql/schema.graphql.

    .venv/bin/python -m catalog.graphql.sdl          # rewrite the file
    .venv/bin/python -m catalog.graphql.sdl --check  # exit 1 when it is stale

tests/catalog/graphql/test_schema_compat.py fails when the committed file is stale. (graphene-
django's `manage.py graphql_schema` prints the same schema, in definition order.)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SDL = Path(__file__).with_name("schema.graphql")


def printed() -> str:
    """The schema's SDL, types and fields in alphabetical order (as the reference's), so that
    the two read side by side and a change shows as a small diff."""
    from graphql import lexicographic_sort_schema, print_schema

    from lantern.schema import schema

    return print_schema(lexicographic_sort_schema(schema.graphql_schema))


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    import django

    django.setup()
    text = printed()
    if "--check" in argv:
        if SDL.read_text() != text:
            print(f"{SDL} is stale: run python -m catalog.graphql.sdl", file=sys.stderr)
            return 1
        return 0
    SDL.write_text(text)
    print(f"wrote {SDL} ({len(text.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
