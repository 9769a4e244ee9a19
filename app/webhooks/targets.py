"""Which hosts a webhook may send to: public addresses only, unless a deployment allows some networks.

Without this, anyone who can register a webhook can make the server knock on its own loopback, the
private network around it or a cloud metadata endpoint, and read the delivery log as a port-scan oracle.
A URL is checked when it is registered and again before every send, on the addresses its host resolves
to at that moment; the send then connects to the address that was checked (pinned), so a name that
re-resolves between the check and the connection (DNS rebinding) cannot slip through.
"""

import ipaddress
import socket
from dataclasses import dataclass

import httpx

from app.config import get_settings
from app.errors import InvalidInput

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class TargetRefused(Exception):
    """The URL's host is, or resolves to, an address webhooks may not reach."""


@dataclass(frozen=True)
class PinnedTarget:
    """A checked URL and the address to connect to instead of resolving the host again."""

    url: httpx.URL
    address: IPAddress

    def request_url(self) -> httpx.URL:
        """The URL with its host replaced by the pinned address; the Host header and TLS name stay the host's."""
        return self.url.copy_with(host=str(self.address))


def allowed_networks() -> list[IPNetwork]:
    """Networks a deployment lets webhooks reach despite being non-public (local development, tests)."""
    text = get_settings().webhook_allowed_networks
    return [ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip()]


def is_public(address: IPAddress) -> bool:
    """Whether an address is on the public internet: not loopback, private, link-local, multicast, unspecified
    or reserved (an IPv4 address written inside IPv6 is judged as the IPv4 address it carries)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_multicast
        or address.is_unspecified
        or address.is_reserved
        or address.is_link_local
        or address.is_loopback
        or address.is_private
    )


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the host stands for, as the system resolver (or the numeric parser) gives them.

    Numeric spellings such as `2130706433` or `0x7f.1` come back as the address they denote.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise TargetRefused("the host does not resolve") from error
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def parse_target(url: str) -> httpx.URL:
    """Parse with the HTTP client's own parser (so the host checked is the host connected to)."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as error:
        raise InvalidInput(
            f"{url!r} is not an http(s) URL.", errors=[{"field": "url", "message": "must be an http(s) URL"}]
        ) from error
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise InvalidInput(f"{url!r} is not an http(s) URL.", errors=[{"field": "url", "message": "must be http(s)"}])
    return parsed


def pin_target(url: str) -> PinnedTarget:
    """Resolve the URL's host and return it pinned to its first address, if every address is allowed."""
    parsed = parse_target(url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    addresses = resolve(parsed.host, port)
    allowed = allowed_networks()
    for address in addresses:
        if not is_public(address) and not any(address in network for network in allowed):
            raise TargetRefused(f"{address} is not a public address")
    if not addresses:
        raise TargetRefused("the host does not resolve")
    return PinnedTarget(url=parsed, address=addresses[0])


def check_registration(url: str) -> None:
    """Refuse a URL whose host is, or resolves to, a non-public address (422 naming the field)."""
    try:
        pin_target(url)
    except TargetRefused as error:
        raise InvalidInput(
            "Webhooks may only target public http(s) addresses; loopback, private, link-local, multicast and "
            "unspecified addresses are refused.",
            errors=[{"field": "url", "message": f"target not allowed: {error}"}],
        ) from error
