"""dbt Cloud tokens and webhook secrets, stored encrypted and never shown back.

Fernet (AES-128-CBC with HMAC-SHA256) with a key derived from LANTERN_SECRET_KEY (SECRET_KEY by
default). A token may instead stay outside the database, in the environment variable an
environment names (`token_env_var`); that variable wins when it is set.
"""

from __future__ import annotations

import base64
import hashlib
import os

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from catalog.models import Environment
from ingest.services import IngestError


class SecretUnreadable(IngestError):
    """A stored secret that the current key cannot decrypt (the key changed)."""


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"lantern-secrets:" + settings.LANTERN_SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def secret_encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def secret_decrypt(value: str, *, what: str) -> str:
    if not value:
        return ""
    try:
        return _fernet().decrypt(value.encode()).decode()
    except InvalidToken as e:
        raise SecretUnreadable(
            f"the stored {what} cannot be decrypted: LANTERN_SECRET_KEY (or SECRET_KEY) has "
            "changed since it was saved; enter it again"
        ) from e


def environment_secrets_set(
    *, environment: Environment, token: str | None = None, webhook_secret: str | None = None
) -> Environment:
    """Store (or with "" clear) an environment's dbt Cloud token and webhook secret.

    None leaves a value as it is, so forms can keep a secret they never show.
    """
    fields = []
    if token is not None:
        environment.token_encrypted = secret_encrypt(token.strip())
        fields.append("token_encrypted")
    if webhook_secret is not None:
        environment.webhook_secret_encrypted = secret_encrypt(webhook_secret.strip())
        fields.append("webhook_secret_encrypted")
    if fields:
        environment.save(update_fields=fields)
    return environment


def environment_token(environment: Environment) -> str:
    """The dbt Cloud token: the named environment variable first, else the stored one."""
    name = environment.token_env_var
    token = os.environ.get(name, "").strip() if name else ""
    if token:
        return token
    token = secret_decrypt(environment.token_encrypted, what="dbt Cloud token")
    if token:
        return token
    where = (
        f"the environment variable {name} is empty or unset, and no token is stored"
        if name
        else "none is stored and no environment variable is named"
    )
    raise IngestError(
        f'environment "{environment.name}" has no dbt Cloud token: {where} (set one on its '
        "settings page, or with `environment add --token-env VAR` / `--token-stdin`)"
    )


def environment_webhook_secret(environment: Environment) -> str:
    """The stored webhook secret, or "" when none is set."""
    return secret_decrypt(environment.webhook_secret_encrypted, what="webhook secret")
