"""The dbt Cloud Discovery API as an ingest source: `client` talks HTTP, `read` maps."""

from ingest.sources.discovery.client import (
    DiscoveryAuthError,
    DiscoveryClient,
    DiscoveryError,
    TokenBucket,
    metadata_url,
)
from ingest.sources.discovery.read import read_environment

__all__ = [
    "DiscoveryAuthError",
    "DiscoveryClient",
    "DiscoveryError",
    "TokenBucket",
    "metadata_url",
    "read_environment",
]
