"""User names people can tell apart, and passwords not on the lists attackers try first."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.auth.models import User
from app.db import get_engine

API = "/api/v1"
GOOD_PASSWORD = "a long enough passphrase 7"


@pytest.fixture
def admin(make_user: Callable[..., Any]) -> dict[str, str]:
    return make_user("admin", password=None)[1]


def create(client: TestClient, admin: dict[str, str], name: str, password: str | None = GOOD_PASSWORD) -> Any:
    return client.post(f"{API}/users", headers=admin, json={"name": name, "role": "reviewer", "password": password})


@pytest.mark.parametrize(
    ("look_alike", "why"),
    [
        ("chief ", "a trailing space"),
        ("Chief", "another case"),
        ("сhief", "a Cyrillic с"),  # noqa: RUF001 - the attack itself
        ("chIef", "a capital I"),
        ("ｃｈｉｅｆ", "fullwidth letters, NFKC-equal"),
    ],
)
def test_a_name_that_looks_like_an_existing_one_is_refused(
    look_alike: str,
    why: str,
    client: TestClient,
    admin: dict[str, str],
) -> None:
    taken = create(client, admin, "chief")
    assert taken.status_code in (201, 409), taken.text  # the first parametrised run creates it
    answer = create(client, admin, look_alike)
    assert answer.status_code in (409, 422), (why, answer.text)
    with Session(get_engine()) as session:
        assert session.exec(select(User).where(User.name == look_alike)).first() is None


def test_rn_for_m_and_capital_i_for_small_l_are_look_alikes(client: TestClient, admin: dict[str, str]) -> None:
    assert create(client, admin, "marlow").status_code == 201
    assert create(client, admin, "rnarlow").status_code == 409
    assert create(client, admin, "Iouvre").status_code == 201
    assert create(client, admin, "louvre").status_code == 409


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("ad\u200bmin2", "ZERO WIDTH SPACE"),
        ("\u202enimda2", "RIGHT-TO-LEFT OVERRIDE"),
        ("аdmin2", "mixes scripts"),  # noqa: RUF001 - Cyrillic а with Latin letters
        ("two words", "SPACE"),
        ("-dash-first", "must start with a letter or a digit"),
        ("   ", "must not be empty"),
        ("x" * 65, "at most 64"),
    ],
)
def test_unsafe_names_are_refused_with_the_reason(
    name: str,
    message: str,
    client: TestClient,
    admin: dict[str, str],
) -> None:
    answer = create(client, admin, name)
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert problem["errors"][0]["field"] == "name" and message in problem["detail"]


def test_names_are_stored_nfkc_normalised_and_any_one_script_is_welcome(
    client: TestClient,
    admin: dict[str, str],
) -> None:
    assert create(client, admin, "ﬁona").json()["name"] == "fiona"  # the ligature fi, NFKC-decomposed
    assert create(client, admin, "Олена").status_code == 201
    assert create(client, admin, "zoë.k_2").status_code == 201


@pytest.mark.parametrize(
    "password",
    [
        "password",
        "12345678",
        "short-pw",
        "password1234",
        "Password2024!",
        "passwordpassword",
        "123456789012",
        "qwertyuiopas",
        "aaaaaaaaaaaaaaa",
        "iloveyou1234",
    ],
)
def test_short_common_or_guessable_passwords_are_refused(
    password: str,
    client: TestClient,
    admin: dict[str, str],
) -> None:
    answer = create(client, admin, f"weak-{abs(hash(password)) % 10**6}", password)
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["field"] == "password"


def test_a_password_containing_the_name_is_refused(client: TestClient, admin: dict[str, str]) -> None:
    answer = create(client, admin, "gertrude", "gertrude-and-more-2024")
    assert answer.status_code == 422 and "user name" in answer.json()["detail"]


def test_the_same_rules_hold_for_a_password_change_and_the_cli(
    client: TestClient,
    make_user: Callable[..., Any],
) -> None:
    from typer.testing import CliRunner

    from app.cli import app as cli

    _user, headers = make_user("reviewer")
    weak = client.post(
        f"{API}/me/password",
        headers=headers,
        json={"current_password": "a test passphrase 4 web", "new_password": "password1234"},
    )
    assert weak.status_code == 422 and weak.json()["errors"][0]["field"] == "new_password"
    result = CliRunner().invoke(cli, ["user", "create", "cli-weak", "--password", "12345678"])
    assert result.exit_code == 1 and "at least 12 characters" in result.output and "Traceback" not in result.output
