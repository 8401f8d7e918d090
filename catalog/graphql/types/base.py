"""What every GraphQL object type of the Discovery API shares: how its fields resolve.

The types only declare fields (name, type, description). A field resolves to the attribute
of the same (snake_case) name on the Python object it is asked of (catalog.graphql.objects,
states, runs, dag), or to the key of that name when the object is a dict; when the
attribute is a method, it is called with the field's arguments. A missing attribute is an
error, never a silent null: tests/catalog/graphql/test_every_field.py asks every field of
every served type.
"""

from __future__ import annotations

from typing import Any

import graphene


def resolve_attribute(name: str, _default: Any, root: Any, _info: Any, /, **args: Any) -> Any:
    # Positional-only: a field argument may be called `name` (job { exposure(name:) }).
    if isinstance(root, dict):
        return root[name]
    value = getattr(root, name)
    return value(**args) if callable(value) else value


class ObjectType(graphene.ObjectType):
    """graphene's ObjectType, resolving fields with `resolve_attribute`."""

    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(cls, default_resolver: Any = None, **options: Any) -> None:
        super().__init_subclass_with_meta__(
            default_resolver=default_resolver or resolve_attribute, **options
        )
