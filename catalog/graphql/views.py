"""The HTTP transport of the Discovery-API-compatible endpoint: /graphql and /graphql/.

What a request goes through, in order, and what it gets when it fails there (every error has a
JSON body in GraphQL's shape, `{"errors": [{"message", "extensions": {"code"}}]}`):

1. method: POST runs a query; GET from a browser opens GraphiQL; anything else is 405;
2. size: a body above LANTERN_GRAPHQL_MAX_BODY_BYTES is 413, unread;
3. who: `Authorization: Bearer|Token <API token>` (401 if unknown or revoked), else a login
   session (403 without its CSRF token), else nobody;
4. rate: per token, user or IP address, in the cache (429 with Retry-After);
5. body: JSON `{"query", "variables", "operationName"}` or `application/graphql` (400);
6. parse (400); then, without a token or session, anything but introspection is 401 unless
   LANTERN_GRAPHQL_ANONYMOUS_READ is on;
7. validation, with the depth limit (400 with graphql-core's errors);
8. execution: 200 with `data` and any resolver `errors`.
"""

from __future__ import annotations

import logging
import math
import time
from decimal import Decimal
from typing import Any

import orjson
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLFormattedError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    execute,
    get_operation_ast,
    parse,
    specified_rules,
    validate,
)
from graphql.language import DocumentNode

from catalog.selectors import environment_default
from catalog.tokens import TokenRefused, api_token_from_header
from catalog.views import read_access
from lantern.schema import schema

logger = logging.getLogger(__name__)

INTROSPECTION_FIELDS = frozenset({"__schema", "__type", "__typename"})


def _json(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> HttpResponse:
    return HttpResponse(
        orjson.dumps(body, default=_json_default),
        status=status,
        content_type="application/json",
        headers=headers,
    )


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _error(
    status: int, message: str, code: str, headers: dict[str, str] | None = None
) -> HttpResponse:
    """A transport error in the shape of a GraphQL error; `code` as Apollo Server names them."""
    return _json(status, {"errors": [{"message": message, "extensions": {"code": code}}]}, headers)


def _graphql_errors(status: int, errors: list[GraphQLError], code: str) -> HttpResponse:
    formatted = [e.formatted for e in errors]
    for f in formatted:
        f.setdefault("extensions", {}).setdefault("code", code)
    return _json(status, {"errors": formatted})


# ---------------------------------------------------------------------------------------------
# Who is asking


class Unauthenticated(Exception):
    pass


def _token_user(request: HttpRequest) -> str | None:
    """Authenticate the Authorization header, if any: the rate-limit identity, or None without one.

    Sets request.user (and request.api_token), so resolvers see who asks through info.context.
    Raises Unauthenticated for a header that is not a live Lantern token.
    """
    try:
        row = api_token_from_header(header=request.headers.get("Authorization", ""))
    except TokenRefused as e:
        raise Unauthenticated(str(e)) from e
    if row is None:
        return None
    request.user = row.user
    request.api_token = row  # type: ignore[attr-defined]
    return f"token:{row.pk}"


def _csrf_refused(request: HttpRequest) -> bool:
    """A session is ambient authority: its POSTs must carry the CSRF token, as forms do.

    The view is csrf_exempt for token clients, so the check runs here, for sessions only.
    """

    def get_response(request: HttpRequest) -> HttpResponse:  # never called
        return HttpResponse()

    # process_view is given a callback without csrf_exempt, so it checks.
    check = CsrfViewMiddleware(get_response)
    return check.process_view(request, get_response, (), {}) is not None


# ---------------------------------------------------------------------------------------------
# Rate limit


def _rate_limit(identity: str) -> int | None:
    """Count one request of `identity`; the seconds until it may retry if over the limit.

    A fixed window in the cache: one counter per identity and window, created with `add` and
    bumped with `incr`, which are atomic in Redis, so every process and host shares it.
    """
    limit = settings.LANTERN_GRAPHQL_RATE_LIMIT
    if limit <= 0:
        return None
    window = settings.LANTERN_GRAPHQL_RATE_WINDOW
    now = time.time()
    start = int(now // window) * window
    key = f"lantern:graphql-rate:{identity}:{start}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the counter expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count <= limit:
        return None
    return max(1, math.ceil(start + window - now))


# ---------------------------------------------------------------------------------------------
# The request body


class BadRequest(Exception):
    pass


def _params(request: HttpRequest) -> tuple[str, dict[str, Any] | None, str | None]:
    """(query, variables, operationName) from a JSON or application/graphql body."""
    content_type = request.content_type or ""
    if content_type == "application/graphql":
        return request.body.decode("utf-8", errors="replace"), None, None
    if content_type not in ("application/json", ""):
        raise BadRequest(
            f"Unsupported Content-Type {content_type!r}: send application/json "
            '({"query": ..., "variables": ..., "operationName": ...}) or application/graphql.'
        )
    try:
        body = orjson.loads(request.body)
    except orjson.JSONDecodeError as e:
        raise BadRequest(f"The body is not valid JSON: {e}") from None
    if not isinstance(body, dict):
        raise BadRequest('The body must be a JSON object: {"query": "...", "variables": {...}}.')
    query, variables, operation_name = (
        body.get("query"),
        body.get("variables"),
        body.get("operationName"),
    )
    if not isinstance(query, str) or not query.strip():
        raise BadRequest('The body has no "query" string.')
    if variables is not None and not isinstance(variables, dict):
        raise BadRequest('"variables" must be a JSON object.')
    if operation_name is not None and not isinstance(operation_name, str):
        raise BadRequest('"operationName" must be a string.')
    return query, variables, operation_name or None


# ---------------------------------------------------------------------------------------------
# Limits on the query itself


def _selection_depth(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    memo: dict[str, int],
) -> int:
    """Levels of fields under a selection set; a fragment counts as the fields it holds."""
    if selection_set is None:
        return 0
    depth = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            depth = max(depth, 1 + _selection_depth(selection.selection_set, fragments, memo))
        elif isinstance(selection, InlineFragmentNode):
            depth = max(depth, _selection_depth(selection.selection_set, fragments, memo))
        elif isinstance(selection, FragmentSpreadNode):
            depth = max(depth, _fragment_depth(selection.name.value, fragments, memo))
    return depth


def _fragment_depth(
    name: str, fragments: dict[str, FragmentDefinitionNode], memo: dict[str, int]
) -> int:
    # Memoized: a fragment spread many times (or spreading others many times) is measured once,
    # so a query cannot make validation exponential. A cycle or an unknown fragment counts 0
    # here; the standard rules report both.
    if name not in memo:
        memo[name] = 0
        fragment = fragments.get(name)
        if fragment is not None:
            memo[name] = _selection_depth(fragment.selection_set, fragments, memo)
    return memo[name]


def _root_fields(
    selection_set: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode], seen: set[str]
) -> list[FieldNode]:
    """The fields an operation selects at its root, through fragments."""
    fields: list[FieldNode] = []
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            fields.append(selection)
        elif isinstance(selection, InlineFragmentNode):
            fields += _root_fields(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name not in seen and name in fragments:
                seen.add(name)
                fields += _root_fields(fragments[name].selection_set, fragments, seen)
    return fields


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def is_introspection(document: DocumentNode, operation_name: str | None) -> bool:
    """Whether the operation to run selects only __schema, __type and __typename at its root.

    Everything under __schema and __type is schema metadata, so checking the root is enough.
    """
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return False
    fields = _root_fields(operation.selection_set, _fragments(document), set())
    return bool(fields) and all(f.name.value in INTROSPECTION_FIELDS for f in fields)


class DepthLimitRule(ValidationRule):
    """Refuse operations nested deeper than LANTERN_GRAPHQL_MAX_DEPTH levels of fields.

    `{ environment(id: 1) { dbtProjectName } }` is 2 levels deep. Fragments and inline fragments
    add no level of their own.

    Introspection (`__schema`, `__type`) is not counted: the query that graphql-js 16 and
    graphql-core 3.2 send (GraphiQL, dbt's docs site, code generators) is 15 levels deep, as
    its TypeRef fragment unwraps `ofType` nine times, and what could make introspection costly,
    lists of types nested in lists of types, is refused by graphql-core's own
    MaxIntrospectionDepthRule (one of the specified rules).
    """

    def enter_operation_definition(self, node: OperationDefinitionNode, *_args: Any) -> None:
        fragments = _fragments(self.context.document)
        memo: dict[str, int] = {}
        depth = max(
            (
                1 + _selection_depth(field.selection_set, fragments, memo)
                for field in _root_fields(node.selection_set, fragments, set())
                if field.name.value not in INTROSPECTION_FIELDS
            ),
            default=0,
        )
        limit = settings.LANTERN_GRAPHQL_MAX_DEPTH
        if depth > limit:
            name = f"Operation '{node.name.value}'" if node.name else "The operation"
            self.report_error(
                GraphQLError(f"{name} is {depth} levels deep; the limit is {limit}.", node)
            )


VALIDATION_RULES = (*specified_rules, DepthLimitRule)


# ---------------------------------------------------------------------------------------------
# The view


@csrf_exempt
def graphql_view(request: HttpRequest) -> HttpResponse:
    """The Discovery-API-compatible endpoint (POST) and GraphiQL for browsers (GET)."""
    if request.method == "GET":
        if request.get_preferred_type(["application/json", "text/html"]) == "text/html":
            return graphiql(request)
        return _error(
            405,
            "Send GraphQL queries with POST (Content-Type: application/json); "
            "GET serves GraphiQL to browsers.",
            "METHOD_NOT_ALLOWED",
            {"Allow": "POST"},
        )
    if request.method != "POST":
        return _error(405, "Only POST is supported.", "METHOD_NOT_ALLOWED", {"Allow": "GET, POST"})

    max_bytes = settings.LANTERN_GRAPHQL_MAX_BODY_BYTES
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        length = 0
    if length > max_bytes:
        return _too_big(length, max_bytes)

    try:
        identity = _token_user(request)
    except Unauthenticated as e:
        return _unauthenticated(str(e))
    if identity is None and request.user.is_authenticated:
        if _csrf_refused(request):
            return _error(
                403,
                "CSRF verification failed: a request made with a login session must send the "
                "X-CSRFToken header (GraphiQL does). Scripts should use an API token instead.",
                "FORBIDDEN",
            )
        identity = f"user:{request.user.pk}"
    anonymous = identity is None
    retry_after = _rate_limit(identity or f"ip:{request.META.get('REMOTE_ADDR', '')}")
    if retry_after is not None:
        return _error(
            429,
            f"Too many requests: at most {settings.LANTERN_GRAPHQL_RATE_LIMIT} every "
            f"{settings.LANTERN_GRAPHQL_RATE_WINDOW} s. Retry in {retry_after} s.",
            "RATE_LIMITED",
            {"Retry-After": str(retry_after)},
        )

    try:
        query, variables, operation_name = _params(request)
    except RequestDataTooBig:  # Django's own ceiling (DATA_UPLOAD_MAX_MEMORY_SIZE)
        return _too_big(length, settings.DATA_UPLOAD_MAX_MEMORY_SIZE or length)
    except BadRequest as e:
        return _error(400, str(e), "BAD_REQUEST")
    max_chars = settings.LANTERN_GRAPHQL_MAX_QUERY_CHARS
    if len(query) > max_chars:
        return _error(
            400,
            f"The query is {len(query):,} characters long; the limit is {max_chars:,}.",
            "BAD_REQUEST",
        )

    try:
        document = parse(query)
    except GraphQLError as e:
        return _graphql_errors(400, [e], "GRAPHQL_PARSE_FAILED")
    if (
        anonymous
        and not settings.LANTERN_GRAPHQL_ANONYMOUS_READ
        and not is_introspection(document, operation_name)
    ):
        return _unauthenticated(
            "Authentication required: send 'Authorization: Bearer <token>' with a Lantern API "
            "token (manage.py createtoken USERNAME). Introspection needs none."
        )

    graphql_schema = schema.graphql_schema
    errors = validate(graphql_schema, document, VALIDATION_RULES)
    if errors:
        return _graphql_errors(400, errors, "GRAPHQL_VALIDATION_FAILED")

    result = execute(
        graphql_schema,
        document,
        context_value=request,
        variable_values=variables,
        operation_name=operation_name,
    )
    assert isinstance(result, ExecutionResult)  # no resolver is async
    if result.errors and all(not e.path for e in result.errors):
        # Nothing ran: the variables did not fit their declarations, or the operation to run
        # is unknown or ambiguous. A request error, like a validation error.
        return _graphql_errors(400, result.errors, "BAD_USER_INPUT")
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [_resolver_error(e) for e in result.errors]
    return _json(200, body)


def _resolver_error(error: GraphQLError) -> GraphQLFormattedError:
    """A resolver's error as clients read it; an unexpected exception is logged, not exposed."""
    original = error.original_error
    if original is None or isinstance(original, GraphQLError) or settings.DEBUG:
        return error.formatted
    logger.error("GraphQL resolver failed at %s", error.path, exc_info=original)
    formatted = error.formatted
    formatted["message"] = "Internal server error"
    formatted["extensions"] = {"code": "INTERNAL_SERVER_ERROR"}
    return formatted


def _unauthenticated(message: str) -> HttpResponse:
    return _error(401, message, "UNAUTHENTICATED", {"WWW-Authenticate": 'Bearer realm="Lantern"'})


def _too_big(length: int, limit: int) -> HttpResponse:
    return _error(
        413,
        f"The request body is {length:,} bytes; the limit is {limit:,}.",
        "PAYLOAD_TOO_LARGE",
    )


@read_access
def graphiql(request: HttpRequest) -> HttpResponse:
    """GraphiQL, from vendored assets, for whoever may read the pages (login or ANONYMOUS_READ).

    Its queries use the login session with the CSRF token; without a session, a token can be
    set in GraphiQL's Headers tab.
    """
    env = environment_default()
    return render(
        request,
        "graphql/graphiql.html",
        {"default_query": DEFAULT_QUERY.format(env_id=env.pk if env else 1)},
    )


DEFAULT_QUERY = """# Lantern answers the queries of the dbt Cloud Discovery API. Its environment
# ids are Lantern's: the number in /env/<id>/ of the pages.
query {{
  environment(id: {env_id}) {{
    dbtProjectName
    adapterType
  }}
}}
"""
