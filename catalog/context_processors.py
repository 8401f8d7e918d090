from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from catalog import selectors


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The environments for the switcher in the top bar (queried only when a page shows it)."""
    return {"environments": SimpleLazyObject(selectors.environment_list)}
