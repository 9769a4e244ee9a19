"""Webhook fixtures: loopback receivers allowed, or no network at all."""

from collections.abc import Iterator

import pytest

from app.config import get_settings


@pytest.fixture
def loopback_allowed() -> Iterator[None]:
    """The test receivers listen on 127.0.0.1, which a deployment must allow explicitly."""
    settings = get_settings()
    before = settings.webhook_allowed_networks
    settings.webhook_allowed_networks = "127.0.0.0/8"
    yield
    settings.webhook_allowed_networks = before


@pytest.fixture
def no_networks_allowed() -> Iterator[None]:
    settings = get_settings()
    before = settings.webhook_allowed_networks
    settings.webhook_allowed_networks = ""
    yield
    settings.webhook_allowed_networks = before
