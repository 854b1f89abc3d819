"""Start the real `build.py serve` in a subprocess on a free port, and read its log as it runs."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class DevServer:
    def __init__(self, site: Path, *args: str) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "--root", str(site), "serve", "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=site)
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = ""
        wait_until(lambda: self._find_url(), what=lambda: "server start:\n" + self.log())
        wait_until(self._listening, what=lambda: "server listening:\n" + self.log())

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def _find_url(self) -> bool:
        for line in self.lines:
            match = re.search(r"at (http://\S+:\d+/) \(Ctrl", line)
            if match:
                self.url = match.group(1)
                return True
        if self.proc.poll() is not None:
            raise AssertionError("server exited:\n" + self.log())
        return False

    def _listening(self) -> bool:
        """Whether the server takes connections: its line may come just before it listens."""
        address = self.url.split("//")[1].strip("/")
        try:
            socket.create_connection(tuple(address.rsplit(":", 1)), timeout=10).close()
        except ConnectionRefusedError:
            return False
        return True

    def browsers(self) -> int:
        """Pages whose livereload websocket has said hello: only they are told to reload."""
        return sum("Browser Connected" in line for line in self.lines)

    def log(self) -> str:
        return "\n".join(self.lines)

    def rebuilds(self) -> list[str]:
        return [line for line in self.lines if line.startswith(("rebuilt after", "rebuild after"))]

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=60) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def request(self, method: str, path: str, headers: dict[str, str] | None = None,
                body: bytes = b"") -> tuple[int, bytes]:
        """One raw HTTP/1.1 request with exactly these headers (Host is the server's own unless given);
        returns the status and the body (empty for a websocket handshake, answered 101)."""
        address = self.url.split("//")[1].strip("/")
        host, port = address.rsplit(":", 1)
        headers = {"Host": address, "Connection": "close", **(headers or {})}
        if body:
            headers["Content-Length"] = str(len(body))
        head = "".join(f"{key}: {value}\r\n" for key, value in headers.items())
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            sock.sendall(f"{method} {path} HTTP/1.1\r\n{head}\r\n".encode() + body)
            response = b""
            while not _complete(response) and (chunk := sock.recv(65536)):
                response += chunk
        status_line, _, rest = response.partition(b"\r\n")
        return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _complete(response: bytes) -> bool:
    """Whether a response is whole without waiting for the server to close (it may keep the connection)."""
    head, found, body = response.partition(b"\r\n\r\n")
    if not found:
        return False
    if head.startswith(b"HTTP/1.1 101 "):
        return True  # an open websocket
    length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    return bool(length) and len(body) >= int(length.group(1))


def wait_until(check: Callable[[], bool], timeout: float = 90, what: Callable[[], str] | str = "") -> None:
    """Poll `check` until true; fail with `what` (a message, or a function making one) after `timeout`,
    which only bounds a failing test: a busy machine may take long, and a passing test waits no longer
    than the state takes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s: {what() if callable(what) else what}")
