"""What the auth API reads and writes: users, passwords, API tokens (their secret shown once) and `me`."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.vocabulary import Role


class UserCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "ana", "role": "reviewer", "password": "a long passphrase"}]},
    )

    name: str = Field(
        min_length=1,
        max_length=100,
        description="NFKC-normalised; letters and digits of one script, "
        "`.`, `_`, `-`; at most 64; refused when it looks like an existing user's name",
    )
    role: Role = Role.REVIEWER
    password: str | None = Field(
        default=None,
        max_length=200,
        description="12+ characters, not a common or easily guessed password; "
        "omit for an account that only acts through tokens",
    )


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"role": "viewer"}, {"active": False}]})

    role: Role | None = None
    active: bool | None = Field(default=None, description="false switches the account off")


class PasswordChange(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"current_password": "the old passphrase", "new_password": "a new long passphrase"}]
        },
    )

    current_password: str = Field(max_length=200)
    new_password: str = Field(max_length=200, description="12+ characters, not a common or easily guessed one")


class UserPublic(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {"id": 3, "name": "ana", "role": "reviewer", "active": True, "created_at": "2025-03-01T09:00:00Z"}
            ]
        },
    )

    id: int
    name: str
    role: str
    active: bool
    created_at: datetime


class TokenCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"name": "nightly import", "role": "reviewer"}, {"name": "bot", "user": "ana"}]
        },
    )

    name: str = Field(default="", max_length=100)
    role: Role | None = Field(default=None, description="At most the user's role; the user's role by default")
    user: str | None = Field(default=None, description="Whose token (admins only); yourself by default")


_TOKEN_EXAMPLE: dict[str, Any] = {
    "id": 2,
    "user_id": 3,
    "name": "nightly import",
    "prefix": "cc_Xq3vT9a",
    "role": "reviewer",
    "created_at": "2025-03-01T09:00:00Z",
    "last_used_at": "2025-03-02T02:00:05Z",
    "revoked_at": None,
}


class TokenPublic(BaseModel):
    """A token as listed: never its secret, only the first characters to recognise it by."""

    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [_TOKEN_EXAMPLE]})

    id: int
    user_id: int
    name: str
    prefix: str
    role: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenPublic):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [_TOKEN_EXAMPLE | {"last_used_at": None, "token": "cc_Xq3vT9a2mW7kP4sL8dR1fH6jN0bC5gY"}]
        }
    )

    token: str = Field(description="The secret; shown this once, never stored or shown again")


class Me(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"id": 3, "name": "ana", "role": "reviewer", "token_id": 2}]}
    )

    id: int | None
    name: str
    role: str
    token_id: int | None = None
