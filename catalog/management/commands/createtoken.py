"""`manage.py createtoken USERNAME [--name NAME]`: print a new API token for /graphql."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.tokens import api_token_create


class Command(BaseCommand):
    help = (
        "Create an API token for USERNAME and print it. Only a digest is stored: copy the token "
        "now. Clients send it as `Authorization: Bearer <token>` to /graphql."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what the token is for (shown in the admin)")

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        username = options["username"]
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(
                f'No user "{username}": create one first (manage.py createsuperuser, or the admin)'
            ) from None
        if not user.is_active:
            raise CommandError(f'User "{username}" is inactive: its tokens would be refused')
        row, token = api_token_create(user=user, name=options["name"])
        # The token alone on stdout, so that `TOKEN=$(manage.py createtoken bob)` works;
        # the explanation goes to stderr.
        self.stdout.write(token)
        self.stderr.write(
            f"Token {row.prefix}… created for {username}"
            + (f' ("{row.name}")' if row.name else "")
            + ". It is not stored and will not be shown again."
        )
