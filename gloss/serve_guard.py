"""Who the preview server answers: the names it was started under, and pages it served itself.

Any web page the editor opens can make the browser send requests to 127.0.0.1 (a link, a form,
a websocket), and with DNS rebinding (a name of the attacker's that first points at its own server,
then at 127.0.0.1) it can also read the answers: drafts, the error text, the review queue. The
browser always says who is asking: `Host` carries the name the page used, `Origin` the site the
page came from. So every request is checked before routing, whatever handler it would reach:
- its Host must be a name this server was started under (loopback names, with the port);
- an Origin, when there is one, must be this server itself;
- anything but GET and HEAD must carry that Origin (browsers send it with every such request);
- a path holding a NUL or another control character is a bad request, not a file name.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import unquote

from tornado import httputil, web

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "[::1]"})
WILDCARDS = frozenset({"", "0.0.0.0", "::", "[::]"})
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def is_loopback(host: str) -> bool:
    """Whether binding to `host` keeps the server on this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _is_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Guard:
    """The Host names a server bound to (host, port) answers to, and the checks on each request."""

    port: int
    names: frozenset[str] = LOOPBACK_NAMES
    # Bound to every interface: an address typed into the browser (10.0.0.5:8000) is a fine Host,
    # and no DNS name can take its place, so any IP literal is accepted, and still no other name.
    any_address: bool = False

    @classmethod
    def for_bind(cls, host: str, port: int) -> Guard:
        if host in WILDCARDS:
            return cls(port, LOOPBACK_NAMES, any_address=True)
        return cls(port, LOOPBACK_NAMES | {_bracketed(host.lower())})

    def host_ok(self, host: str) -> bool:
        """`Host: 127.0.0.1:8000`, `localhost:8000`, `[::1]:8000` (the port may be left out for 80)."""
        match = re.fullmatch(r"(\[[0-9a-fA-F:.]+\]|[^:\[\]]+)(?::(\d{1,5}))?", host)
        if not match:
            return False
        name, port = match.group(1).lower(), match.group(2)
        if (int(port) if port else 80) != self.port:
            return False
        return name in self.names or (self.any_address and _is_ip_literal(name))

    def refusal(self, request: httputil.HTTPServerRequest) -> tuple[int, str] | None:
        """(status, why) when the request must not be answered; None when it may."""
        host = request.headers.get("Host", "")
        if not self.host_ok(host):
            return 403, "this preview server only answers to the names it was started under (Host)"
        origin = request.headers.get("Origin")
        if origin is not None and not same_origin(origin, host):
            return 403, "requests from pages of other sites are refused (Origin)"
        if request.method not in ("GET", "HEAD") and origin is None:
            return 403, "a request that changes something must come from a page of this server (no Origin)"
        if CONTROL.search(unquote(request.path)):
            return 400, "control characters are not allowed in a path"
        return None


def same_origin(origin: str, host: str) -> bool:
    """The Origin a page served by us sends: our own scheme and Host."""
    return origin.lower() == f"http://{host.lower()}"


class RefusedHandler(web.RequestHandler):
    """Answers a refused request with its status and one plain line; the handler it asked for never runs."""

    def initialize(self, status: int, why: str) -> None:
        self.status, self.why = status, why

    def prepare(self) -> None:
        self.set_status(self.status)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(self.why + "\n")


class GuardedApplication(web.Application):
    """A tornado Application that puts every request through its Guard before routing it."""

    def __init__(self, guard: Guard, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.guard = guard

    def find_handler(self, request: httputil.HTTPServerRequest, **kwargs: object) -> web._HandlerDelegate:
        refused = self.guard.refusal(request)
        if refused is not None:
            status, why = refused
            return self.get_handler_delegate(request, RefusedHandler, {"status": status, "why": why})
        return super().find_handler(request, **kwargs)
