"""The HTTP transport of /graphql: tokens, status codes, limits and GraphiQL."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone
from graphql import GraphQLError, get_introspection_query, parse

from catalog.graphql import views
from catalog.models import ApiToken, Environment
from catalog.tokens import api_token_create
from tests.conftest import EXAMPLE, run_ingest

QUERY_PROJECT = "query Project($id: BigInt!) { environment(id: $id) { dbtProjectName } }"
# What graphql-js 16 sends (GraphiQL, the docs site of dbt): 15 levels deep.
QUERY_INTROSPECTION = get_introspection_query(
    descriptions=True,
    specified_by_url=True,
    directive_is_repeatable=True,
    schema_description=True,
    input_value_deprecation=True,
)


@pytest.fixture
def example(db) -> Environment:
    run_ingest(str(EXAMPLE), "--environment", "example")
    return Environment.objects.get(name="example")


@pytest.fixture
def alice(db) -> User:
    return User.objects.create_user("alice", password="correct horse battery")


@pytest.fixture
def token(alice: User) -> str:
    return api_token_create(user=alice, name="ci")[1]


def post(
    client: Client,
    query: str,
    variables: dict | None = None,
    *,
    token: str | None = None,
    scheme: str = "Bearer",
    path: str = "/graphql",
    **headers: str,
):
    if token is not None:
        headers["HTTP_AUTHORIZATION"] = f"{scheme} {token}"
    body = {"query": query, "variables": variables}
    return client.post(path, body, content_type="application/json", **headers)


def only_error(response) -> dict:
    """The one error of an error response, after checking it is JSON in GraphQL's shape."""
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert "data" not in body
    (error,) = body["errors"]
    assert error["message"]
    return error


# --- Tokens ---------------------------------------------------------------------------------


def test_it_stores_a_digest_of_the_token_never_the_token(alice: User) -> None:
    row, token = api_token_create(user=alice, name="ci")

    assert token.startswith("lnt_")
    assert len(token) > 40
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token.startswith(row.prefix)
    assert len(row.prefix) == 12
    # nothing in the table holds the token, nor its secret part
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM catalog_apitoken")
        stored = " ".join(str(v) for row_ in cursor.fetchall() for v in row_)
    assert token not in stored
    assert token[12:] not in stored


def test_two_tokens_differ(alice: User) -> None:
    assert api_token_create(user=alice)[1] != api_token_create(user=alice)[1]


@pytest.mark.parametrize("scheme", ["Bearer", "Token", "bearer", "TOKEN"])
@pytest.mark.parametrize("path", ["/graphql", "/graphql/"])
def test_it_answers_a_token_in_either_scheme_on_either_path(
    client: Client, example: Environment, token: str, scheme: str, path: str
) -> None:
    variables = {"id": example.pk}
    response = post(client, QUERY_PROJECT, variables, token=token, scheme=scheme, path=path)

    assert response.status_code == 200
    assert response.json() == {"data": {"environment": {"dbtProjectName": "bikeshare"}}}


def test_it_marks_when_a_token_was_last_used(client: Client, token: str) -> None:
    row = ApiToken.objects.get()
    assert row.last_used_at is None

    post(client, "{ __typename }", token=token)
    row.refresh_from_db()
    first = row.last_used_at
    assert first is not None
    assert timezone.now() - first < timedelta(seconds=10)

    # within a minute, requests do not write it again
    post(client, "{ __typename }", token=token)
    row.refresh_from_db()
    assert row.last_used_at == first

    ApiToken.objects.update(last_used_at=first - timedelta(minutes=5))
    post(client, "{ __typename }", token=token)
    row.refresh_from_db()
    assert row.last_used_at > first


@pytest.mark.parametrize(
    ("authorization", "message"),
    [
        (None, "Authentication required"),
        ("{token}", "must be 'Bearer <token>' or 'Token <token>'"),  # no scheme
        ("Basic {token}", "must be 'Bearer <token>' or 'Token <token>'"),
        ("Bearer", "must be 'Bearer <token>' or 'Token <token>'"),
        ("Bearer lnt_unknown", "unknown or was revoked"),
        ("Bearer {token}x", "unknown or was revoked"),
    ],
)
def test_it_refuses_a_request_without_a_valid_token(
    client: Client, token: str, authorization: str | None, message: str
) -> None:
    headers = {"HTTP_AUTHORIZATION": authorization.format(token=token)} if authorization else {}

    response = post(client, QUERY_PROJECT, {"id": 1}, **headers)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    error = only_error(response)
    assert message in error["message"]
    assert error["extensions"] == {"code": "UNAUTHENTICATED"}


def test_it_refuses_a_revoked_token_and_the_token_of_an_inactive_user(
    client: Client, alice: User, token: str
) -> None:
    assert post(client, "{ __typename }", token=token).status_code == 200

    ApiToken.objects.update(revoked_at=timezone.now())
    assert post(client, "{ __typename }", token=token).status_code == 401

    _, other = api_token_create(user=alice)
    alice.is_active = False
    alice.save()
    assert post(client, "{ __typename }", token=other).status_code == 401


def test_a_token_is_revoked_in_the_admin(client: Client, alice: User, token: str) -> None:
    User.objects.create_superuser("root", password="x")
    admin = Client()
    admin.login(username="root", password="x")
    row = ApiToken.objects.get()

    listing = admin.get("/admin/catalog/apitoken/")
    assert row.prefix in listing.content.decode()
    assert token not in listing.content.decode()
    admin.post(
        "/admin/catalog/apitoken/",
        {"action": "revoke", "_selected_action": [row.pk]},
    )

    row.refresh_from_db()
    assert row.revoked_at is not None
    assert post(client, "{ __typename }", token=token).status_code == 401


# --- createtoken ----------------------------------------------------------------------------


def test_createtoken_prints_a_token_that_works(client: Client, alice: User) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("createtoken", "alice", "--name", "dbt-mcp", stdout=out, stderr=err)

    token = out.getvalue().strip()
    assert token.startswith("lnt_")
    assert "\n" not in token
    row = ApiToken.objects.get()
    assert (row.user, row.name, row.prefix) == (alice, "dbt-mcp", token[:12])
    assert "not be shown again" in err.getvalue()
    assert post(client, "{ __typename }", token=token).status_code == 200


def test_createtoken_refuses_an_unknown_or_inactive_user(alice: User) -> None:
    with pytest.raises(CommandError, match='No user "bob"'):
        call_command("createtoken", "bob", stdout=io.StringIO())
    alice.is_active = False
    alice.save()
    with pytest.raises(CommandError, match="inactive"):
        call_command("createtoken", "alice", stdout=io.StringIO())
    assert not ApiToken.objects.exists()


# --- Introspection and anonymous reads -----------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "{ __typename }",
        '{ __type(name: "Query") { name fields { name } } }',
        "query Q { ...Meta } fragment Meta on Query { __schema { queryType { name } } }",
        QUERY_INTROSPECTION,
    ],
)
def test_introspection_needs_no_token(client: Client, settings, query: str) -> None:
    # a small depth limit for data does not stop introspection
    settings.LANTERN_GRAPHQL_MAX_DEPTH = 3

    response = post(client, query)

    assert response.status_code == 200, response.content
    assert "errors" not in response.json()


def test_introspection_with_data_needs_a_token(client: Client) -> None:
    query = "{ __schema { queryType { name } } environment(id: 1) { dbtProjectName } }"
    assert post(client, query).status_code == 401
    hidden = "{ ...E } fragment E on Query { __typename environment(id: 1) { __typename } }"
    assert post(client, hidden).status_code == 401


def test_an_explicit_setting_opens_the_api_to_anonymous_reads(
    client: Client, settings, example: Environment
) -> None:
    settings.ANONYMOUS_READ = True  # the pages' setting does not open the API
    assert post(client, QUERY_PROJECT, {"id": example.pk}).status_code == 401

    settings.LANTERN_GRAPHQL_ANONYMOUS_READ = True
    response = post(client, QUERY_PROJECT, {"id": example.pk})
    assert response.json() == {"data": {"environment": {"dbtProjectName": "bikeshare"}}}


def test_a_login_session_may_query_and_must_send_the_csrf_token(
    alice: User, example: Environment, token: str
) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)

    refused = post(browser, QUERY_PROJECT, {"id": example.pk})
    assert refused.status_code == 403
    assert "CSRF" in only_error(refused)["message"]

    browser.get("/graphql", HTTP_ACCEPT="text/html")  # GraphiQL sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    response = post(browser, QUERY_PROJECT, {"id": example.pk}, HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 200
    assert response.json()["data"]["environment"]["dbtProjectName"] == "bikeshare"

    # API clients are exempt: a token needs no CSRF token
    api = Client(enforce_csrf_checks=True)
    assert post(api, QUERY_PROJECT, {"id": example.pk}, token=token).status_code == 200


# --- Requests and responses ----------------------------------------------------------------


def test_a_validation_error_is_a_400_with_the_errors(client: Client, token: str) -> None:
    response = post(client, "{ environment(id: 1) { description } }", token=token)

    assert response.status_code == 400
    error = only_error(response)
    assert "Cannot query field 'description' on type 'Environment'" in error["message"]
    assert error["locations"] == [{"line": 1, "column": 24}]
    assert error["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}


def test_a_syntax_error_is_a_400(client: Client, token: str) -> None:
    response = post(client, "{ environment(id: 1) { dbtProjectName }", token=token)

    assert response.status_code == 400
    error = only_error(response)
    assert error["message"].startswith("Syntax Error")
    assert error["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


def test_an_unknown_environment_has_no_data(client: Client, token: str) -> None:
    response = post(client, QUERY_PROJECT, {"id": 999_999}, token=token)

    # a resolver's error: 200, with data (null: environment is non-null) and errors
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["message"] == "There is no data available for this input"
    assert body["errors"][0]["path"] == ["environment"]


def test_undeclared_variables_are_ignored(client: Client, example: Environment, token: str) -> None:
    # lightdash sends `first` to operations that do not declare it; dbterd uses snake_case
    query = """
        query ($environment_id: BigInt!) { environment(id: $environment_id) { dbtProjectName } }
    """
    variables = {"environment_id": example.pk, "first": 500, "after": None}

    response = post(client, query, variables, token=token)

    assert response.status_code == 200
    assert response.json()["data"]["environment"]["dbtProjectName"] == "bikeshare"


def test_variables_of_the_wrong_type_are_a_400(client: Client, token: str) -> None:
    response = post(client, QUERY_PROJECT, {"id": "one"}, token=token)

    assert response.status_code == 400
    assert only_error(response)["extensions"]["code"] == "BAD_USER_INPUT"


def test_it_takes_application_graphql_and_the_partner_header(
    client: Client, example: Environment, token: str
) -> None:
    response = client.post(
        "/graphql",
        f"{{ environment(id: {example.pk}) {{ dbtProjectName }} }}",
        content_type="application/graphql",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_X_DBT_PARTNER_SOURCE="dbt-mcp",
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 200
    assert response.json()["data"]["environment"]["dbtProjectName"] == "bikeshare"


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        ("{not json", "application/json", "not valid JSON"),
        ("[1, 2]", "application/json", "must be a JSON object"),
        ('{"variables": {}}', "application/json", 'no "query"'),
        ('{"query": "{ __typename }", "variables": [1]}', "application/json", '"variables"'),
        ('{"query": "{ __typename }", "operationName": 3}', "application/json", '"operationName"'),
        ("query={ __typename }", "application/x-www-form-urlencoded", "Unsupported Content-Type"),
    ],
)
def test_a_malformed_body_is_a_400(
    client: Client, token: str, body: str, content_type: str, message: str
) -> None:
    response = client.post(
        "/graphql", body, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {token}"
    )

    assert response.status_code == 400
    error = only_error(response)
    assert message in error["message"]
    assert error["extensions"]["code"] == "BAD_REQUEST"


def test_unexpected_resolver_failures_are_logged_not_shown(settings, caplog) -> None:
    settings.DEBUG = False
    error = GraphQLError(
        "connection to server at 10.0.0.3 failed",
        path=["environment"],
        original_error=RuntimeError("connection to server at 10.0.0.3 failed"),
    )

    formatted = views._resolver_error(error)

    assert formatted["message"] == "Internal server error"
    assert formatted["path"] == ["environment"]
    assert formatted["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert "10.0.0.3" in caplog.text
    # errors the resolvers mean to show keep their message
    meant = GraphQLError("There is no data available for this input", path=["environment"])
    assert views._resolver_error(meant)["message"] == "There is no data available for this input"


def test_get_serves_graphiql_to_browsers_and_405_to_scripts(
    client: Client, settings, alice: User
) -> None:
    # a script
    response = client.get("/graphql", {"query": "{ __typename }"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "POST" in only_error(response)["message"]
    assert client.get("/graphql").status_code == 405  # no Accept header: not a browser
    assert client.put("/graphql", "{}").status_code == 405

    # a browser: the login page first, unless pages are open to anonymous readers
    browser_accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/graphql", HTTP_ACCEPT=browser_accept)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/graphql")

    client.force_login(alice)
    response = client.get("/graphql/", HTTP_ACCEPT=browser_accept)
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/graphiql/graphiql.min.js" in html
    assert "https://" not in html
    assert "http://" not in html


# --- Limits ---------------------------------------------------------------------------------


def test_the_depth_limit_counts_fields_through_fragments(
    client: Client, settings, token: str
) -> None:
    flat = "{ environment(id: 1) { dbtProjectName } }"  # 2 levels
    spread = """
        query Deep { ...Root }
        fragment Root on Query { environment(id: 1) { ... on Environment { ...Name } } }
        fragment Name on Environment { dbtProjectName }
    """
    settings.LANTERN_GRAPHQL_MAX_DEPTH = 2
    assert post(client, flat, token=token).status_code == 200
    assert post(client, spread, token=token).status_code == 200

    settings.LANTERN_GRAPHQL_MAX_DEPTH = 1
    response = post(client, spread, token=token)
    assert response.status_code == 400
    assert only_error(response)["message"] == ("Operation 'Deep' is 2 levels deep; the limit is 1.")


def test_depth_is_measured_once_per_fragment() -> None:
    # Each fragment spreads the next one twice: walking every spread would take 2^40 steps.
    fragments = (
        "\n".join(
            f"fragment F{i} on Environment {{ a: ...F{i + 1} b: ...F{i + 1} }}" for i in range(40)
        )
        .replace("a: ", "")
        .replace("b: ", "")
    )
    document = parse(
        "{ environment(id: 1) { ...F0 } }\n"
        + fragments
        + "\nfragment F40 on Environment { dbtProjectName }"
    )
    started = time.perf_counter()
    operation = document.definitions[0]
    depth = views._selection_depth(operation.selection_set, views._fragments(document), {})
    assert depth == 2
    assert time.perf_counter() - started < 0.5


def test_fragment_cycles_are_a_validation_error_not_a_hang(client: Client, token: str) -> None:
    query = """
        { environment(id: 1) { ...A } }
        fragment A on Environment { ...B }
        fragment B on Environment { ...A }
    """
    response = post(client, query, token=token)
    assert response.status_code == 400
    assert any("Cannot spread fragment" in e["message"] for e in response.json()["errors"])


def test_the_introspection_query_is_deeper_than_the_default_limit(settings) -> None:
    # Why introspection is not counted: GraphiQL's own query would be refused.
    document = parse(QUERY_INTROSPECTION)
    depth = views._selection_depth(
        document.definitions[0].selection_set, views._fragments(document), {}
    )
    assert depth == 15 > settings.LANTERN_GRAPHQL_MAX_DEPTH


def test_lists_of_types_nested_in_introspection_are_refused(client: Client) -> None:
    # What makes introspection costly is refused by graphql-core's MaxIntrospectionDepthRule.
    nested = "{ __schema { types { " + "fields { type { " * 4 + "name" + " } }" * 4 + " } } }"
    response = post(client, nested)
    assert response.status_code == 400
    assert only_error(response)["message"] == "Maximum introspection depth exceeded"


def test_a_body_over_the_limit_is_a_413(client: Client, settings, token: str) -> None:
    settings.LANTERN_GRAPHQL_MAX_BODY_BYTES = 1000
    query = "{ __typename " + "# padding\n" * 200 + "}"

    response = post(client, query, token=token)

    assert response.status_code == 413
    error = only_error(response)
    assert "the limit is 1,000" in error["message"]
    assert error["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


def test_a_query_over_the_limit_is_a_400(client: Client, settings, token: str) -> None:
    settings.LANTERN_GRAPHQL_MAX_QUERY_CHARS = 100
    response = post(client, "{ __typename " + " " * 100 + "}", token=token)

    assert response.status_code == 400
    assert "the limit is 100" in only_error(response)["message"]


class Clock:
    def __init__(self) -> None:
        self.now = 600_000_000.0  # the start of a 60-second window (and of many others)

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(views.time, "time", clock.time)
    return clock


def test_the_rate_limit_answers_429_until_the_window_ends(
    client: Client, settings, alice: User, token: str, clock: Clock
) -> None:
    settings.LANTERN_GRAPHQL_RATE_LIMIT = 3
    settings.LANTERN_GRAPHQL_RATE_WINDOW = 60
    for _ in range(3):
        assert post(client, "{ __typename }", token=token).status_code == 200

    clock.now += 20
    response = post(client, "{ __typename }", token=token)
    assert response.status_code == 429
    assert response["Retry-After"] == "40"
    error = only_error(response)
    assert "at most 3 every 60 s" in error["message"]
    assert error["extensions"]["code"] == "RATE_LIMITED"

    # another token has its own count
    _, other = api_token_create(user=alice)
    assert post(client, "{ __typename }", token=other).status_code == 200

    clock.now += 40
    assert post(client, "{ __typename }", token=token).status_code == 200


def test_the_rate_limit_of_anonymous_introspection_is_per_address(
    client: Client, settings, clock: Clock
) -> None:
    settings.LANTERN_GRAPHQL_RATE_LIMIT = 2
    here = {"REMOTE_ADDR": "192.0.2.1"}
    there = {"REMOTE_ADDR": "192.0.2.2"}
    assert [post(client, "{ __typename }", **here).status_code for _ in range(3)] == [200, 200, 429]
    assert post(client, "{ __typename }", **there).status_code == 200


def test_the_rate_limit_recovers_after_a_real_window(client: Client, settings, token: str) -> None:
    settings.LANTERN_GRAPHQL_RATE_LIMIT = 1
    settings.LANTERN_GRAPHQL_RATE_WINDOW = 1
    codes = [post(client, "{ __typename }", token=token).status_code for _ in range(2)]
    if codes != [200, 429]:  # the two requests straddled a second: try once more
        time.sleep(1 - time.time() % 1)
        codes = [post(client, "{ __typename }", token=token).status_code for _ in range(2)]
    assert codes == [200, 429]

    time.sleep(1.05)
    assert post(client, "{ __typename }", token=token).status_code == 200


RATE_SCRIPT = """
import django
django.setup()
from django.test import Client
client = Client()
body = {"query": "{ __typename }"}
codes = [client.post("/graphql", body, "application/json").status_code for _ in range(6)]
print(" ".join(map(str, codes)))
"""


def test_the_rate_limit_holds_across_processes_with_redis(redis_url: str) -> None:
    # Two server processes share one Redis: together they let through the limit, not twice it.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lantern.settings",
        "REDIS_URL": redis_url,
        "LANTERN_GRAPHQL_RATE_LIMIT": "5",
        # one window for the whole test (windows start at multiples of their length)
        "LANTERN_GRAPHQL_RATE_WINDOW": "1000000000",
        "ALLOWED_HOSTS": "testserver",
    }
    root = Path(__file__).parents[3]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", RATE_SCRIPT],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    codes = []
    for p in processes:
        out, _ = p.communicate(timeout=120)
        assert p.returncode == 0
        codes += out.split()

    assert sorted(codes) == ["200"] * 5 + ["429"] * 7

    import redis

    redis.Redis.from_url(redis_url).flushdb()


# --- GraphiQL in a real browser ------------------------------------------------------------


def test_graphiql_runs_a_query_with_no_internet_access(transactional_db, live_server, page) -> None:
    run_ingest(str(EXAMPLE), "--environment", "example")
    env = Environment.objects.get(name="example")
    User.objects.create_user("alice", password="correct horse battery")
    # Offline: anything not served by Lantern is refused, and recorded.
    outside: list[str] = []

    def local_only(route) -> None:
        url = route.request.url
        if url.startswith(live_server.url) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", local_only)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    # log in, and land on GraphiQL
    page.goto(f"{live_server.url}/graphql")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/graphql")
    editor = page.locator(".graphiql-query-editor .CodeMirror")
    editor.wait_for()

    # type a query (the editor closes brackets itself, and steps over what it closed) and run it
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(f"{{ environment(id: {env.pk}) {{ dbtProjectName }} }}", delay=20)
    page.locator(".graphiql-execute-button").click()

    result = page.locator(".result-window")
    result.get_by_text('"bikeshare"').wait_for()
    assert '"dbtProjectName": "bikeshare"' in result.inner_text()
    assert outside == []
    assert all(u.startswith((live_server.url, "data:", "blob:")) for u in requested)
