"""xlwings Server's ``custom`` authentication provider: a shared bearer token.

xlwings Server calls :func:`validate_token` with the request's
``Authorization`` header when ``XLWINGS_AUTH_PROVIDERS=["custom"]`` (the
default of ``python -m addin.server`` when it listens beyond 127.0.0.1).  The
token is read from ``SI_SERVER_TOKEN``; the header may be ``Bearer <token>``
or the token itself.  A missing or wrong token is refused with HTTP 401.  For
Microsoft 365 sign-in use xlwings Server's ``entraid`` provider instead (see
the README's deployment section).
"""

from __future__ import annotations

import os
import secrets

from fastapi import status
from fastapi.exceptions import HTTPException
from xlwings_server.models import User

TOKEN_ENV = "SI_SERVER_TOKEN"


async def validate_token(token_string: str) -> User:
    """The user for a valid token; HTTPException 401 (Danish detail) otherwise."""
    expected = os.environ.get(TOKEN_ENV, "")
    given = token_string.removeprefix("Bearer ").strip()
    if expected and given and secrets.compare_digest(given.encode(), expected.encode()):
        return User(id="si-token", name="token")
    raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail="Fejl i login: manglende eller forkert adgangsnøgle")
