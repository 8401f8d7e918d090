"""Call one of dbt-mcp's Discovery tools against a Lantern server; print the answer as JSON.

    .venv-mcp/bin/python tests/catalog/graphql/mcp/driver.py URL TOKEN ENVIRONMENT_ID TOOL [ARGS]

URL is Lantern's endpoint (http://127.0.0.1:PORT/graphql), TOKEN an API token from
`manage.py createtoken`, ENVIRONMENT_ID a Lantern environment id (it plays the dbt Cloud
production environment id), TOOL a dbt-mcp tool name (`get_all_models`…) and ARGS the tool's
arguments as a JSON object. With `--all-pages`, a paginated tool is called again with `after` set
to the `next_cursor` it gave, as an assistant pages, until `has_more` is false; the result is
then the list of pages. Instead of TOOL, `--list` prints the names of the tools registered and
`--queries` every GraphQL document the Discovery tools can send. `--batch` reads a JSON list
of calls, `{"tool", "arguments", "all_pages"}` each, from standard input and prints the list
of their outputs: importing dbt-mcp takes seconds, calling a tool milliseconds. Each call
still gets a server and an MCP session of its own.

dbt-mcp (`make mcp` installs it in .venv-mcp; it needs Python 3.12, hence this separate
process) is configured as a user configures it, with DBT_HOST, DBT_TOKEN and DBT_PROD_ENV_ID,
and its MCP server is built by its own `create_dbt_mcp`. It derives the Discovery URL from
DBT_HOST (`https://metadata.<host>/graphql`) and nothing points it at a plain-HTTP loopback
address, so the one object that supplies its Discovery settings is wrapped and only the URL is
changed. The tool is then called through an MCP client session, as an assistant calls it: the
headers (`Authorization: Bearer <token>`), the GraphQL queries, the pagination and the parsing of
the answers are all dbt-mcp's own.

Output, one JSON object: {"tool", "is_error", "result"} where result is the tool's answer (its
structured content when it has one, else its text content parsed as JSON, else the text), or
the error text when is_error.

Nothing leaves this machine: DBT_HOST is under `.invalid` (never resolves), every HTTP proxy is
a closed loopback port with only the loopback addresses exempted, and usage tracking is off.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import sys
import tempfile
from typing import Any

USAGE = (
    "usage: driver.py URL TOKEN ENV_ID (TOOL [ARGS_JSON] [--all-pages] | --list | --queries"
    " | --batch < CALLS_JSON)"
)


def queries() -> dict[str, str]:
    """Every GraphQL document dbt-mcp's Discovery tools can send, by the name it has there."""
    from dbt_mcp.discovery.client import (
        GraphQLQueries,
        ModelPerformanceFetcher,
        ResourceDetailsFetcher,
    )

    found = {
        f"GraphQLQueries.{name}": value
        for name, value in vars(GraphQLQueries).items()
        if name.isupper() and isinstance(value, str)
    }
    found.update(
        {
            f"ResourceDetailsFetcher.{name}": value
            for name, value in vars(ResourceDetailsFetcher).items()
            if name.endswith("_QUERY")
        }
    )
    found["ModelPerformanceFetcher.GET_MODEL_PERFORMANCE_QUERY"] = (
        ModelPerformanceFetcher.GET_MODEL_PERFORMANCE_QUERY
    )
    # A fragment of the parents/children queries, not a document of its own.
    found.pop("GraphQLQueries.COMMON_FIELDS_PARENTS_CHILDREN", None)
    return found


def configure(token: str, environment_id: str, home: str) -> None:
    """dbt-mcp's settings, from the environment as its docs describe, before it reads them."""
    os.environ.update(
        {
            # Replaced below by the real URL; a name under .invalid never resolves.
            "DBT_HOST": "lantern.invalid",
            "DBT_TOKEN": token,
            "DBT_PROD_ENV_ID": environment_id,
            # Known, so dbt-mcp does not ask the Admin API of DBT_HOST who the user is.
            "DBT_USER_ID": "1",
            # Only the Discovery toolset (an allowlist), and nothing that fetches from dbt's CDN
            # or docs site, or runs dbt.
            "DBT_MCP_ENABLE_DISCOVERY": "true",
            "DISABLE_MCP_APPS": "true",
            "DISABLE_DBT_CLI": "true",
            "DISABLE_DBT_CODEGEN": "true",
            "DISABLE_SEMANTIC_LAYER": "true",
            "DISABLE_ADMIN_API": "true",
            "DISABLE_SQL": "true",
            "DISABLE_LSP": "true",
            "DISABLE_PRODUCT_DOCS": "true",
            "DO_NOT_TRACK": "1",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DBT_PROFILES_DIR": home,
            # A request for any host but loopback goes to a closed local port and fails at once.
            "HTTP_PROXY": "http://127.0.0.1:9",
            "HTTPS_PROXY": "http://127.0.0.1:9",
            "ALL_PROXY": "http://127.0.0.1:9",
            "NO_PROXY": "127.0.0.1,localhost,::1",
        }
    )
    for name in ("DBT_PROJECT_DIR", "DBT_PROJECT_IDS", "DBT_ACCOUNT_ID", "DBT_HOST_PREFIX"):
        os.environ.pop(name, None)
    # pydantic-settings also reads a .env file from the working directory: use an empty one.
    os.chdir(home)


def unpack(answer: Any) -> Any:
    """A tool's answer: its structured content when it has one, else its text, parsed."""
    if answer.structuredContent is not None:
        result = answer.structuredContent
        # FastMCP wraps a return value that is not an object as {"result": value}.
        return result["result"] if list(result) == ["result"] else result
    texts = [block.text for block in answer.content if block.type == "text"]
    try:
        parsed = [json.loads(text) for text in texts]
    except ValueError:
        parsed = texts
    return parsed[0] if len(parsed) == 1 else parsed


async def call(
    url: str, tool: str | None, arguments: dict[str, Any], *, all_pages: bool = False
) -> dict[str, Any]:
    from dbt_mcp.config.config import load_config
    from dbt_mcp.config.config_providers import DiscoveryConfig
    from dbt_mcp.config.config_providers.discovery import DefaultDiscoveryConfigProvider
    from dbt_mcp.config.settings import validate_dbt_platform_settings
    from dbt_mcp.mcp.server import create_dbt_mcp
    from mcp.shared.memory import create_connected_server_and_client_session

    class LanternDiscoveryConfigProvider(DefaultDiscoveryConfigProvider):
        """dbt-mcp's own Discovery settings (headers, environment id, limits); Lantern's URL."""

        def __init__(self, wrapped: DefaultDiscoveryConfigProvider) -> None:
            self.wrapped = wrapped

        async def get_config(self, project_id: int | None = None) -> DiscoveryConfig:
            config = await self.wrapped.get_config(project_id=project_id)
            return dataclasses.replace(config, url=url)

    config = load_config(enable_proxied_tools=False)
    # With incomplete settings dbt-mcp falls back to an interactive OAuth login: refuse instead.
    problems = validate_dbt_platform_settings(config.credentials_provider.settings)
    if problems:
        raise SystemExit("dbt-mcp settings are incomplete: " + "; ".join(problems))
    config.discovery_config_provider = LanternDiscoveryConfigProvider(
        config.discovery_config_provider
    )
    server = await create_dbt_mcp(config)
    async with create_connected_server_and_client_session(server) as client:
        if tool is None:
            tools = await client.list_tools()
            return {"tool": None, "is_error": False, "result": sorted(t.name for t in tools.tools)}
        answer = await client.call_tool(tool, arguments)
        if answer.isError or not all_pages:
            return {"tool": tool, "is_error": bool(answer.isError), "result": unpack(answer)}
        pages = [unpack(answer)]
        while pages[-1]["pagination"]["has_more"]:
            cursor = pages[-1]["pagination"]["next_cursor"]
            answer = await client.call_tool(tool, arguments | {"after": cursor})
            if answer.isError:
                return {"tool": tool, "is_error": True, "result": unpack(answer)}
            pages.append(unpack(answer))
            if len(pages) > 100:
                raise SystemExit(f"{tool}: still more pages after 100")
        return {"tool": tool, "is_error": False, "result": pages}


def main(argv: list[str]) -> int:
    if len(argv) < 4:
        print(USAGE, file=sys.stderr)
        return 2
    url, token, environment_id, tool = argv[:4]
    if tool == "--queries":
        print(json.dumps(queries(), indent=2, sort_keys=True))
        return 0
    if tool == "--batch":
        calls = [
            (c["tool"], c.get("arguments") or {}, bool(c.get("all_pages")))
            for c in json.load(sys.stdin)
        ]
    else:
        all_pages = "--all-pages" in argv[4:]
        rest = [arg for arg in argv[4:] if arg != "--all-pages"]
        calls = [(tool, json.loads(rest[0]) if rest else {}, all_pages)]

    async def run() -> list[dict[str, Any]]:
        return [
            await call(url, None if name == "--list" else name, arguments, all_pages=pages)
            for name, arguments, pages in calls
        ]

    with tempfile.TemporaryDirectory(prefix="lantern-mcp-") as home:
        configure(token, environment_id, home)
        out = asyncio.run(run())
    print(json.dumps(out if tool == "--batch" else out[0], indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
