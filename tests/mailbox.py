"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for e-mail tests."""
from __future__ import annotations

import re
import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Received:
    """One delivered message, parsed."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None, f"no text/{subtype} part"
        return str(body.get_content())

    @property
    def text(self) -> str:
        return self.part("plain")

    @property
    def html(self) -> str:
        return self.part("html")

    def link(self, path_fragment: str) -> str:
        """The first absolute link in the plain-text part whose path contains `path_fragment`."""
        for url in re.findall(r"https?://\S+", self.text):
            if path_fragment in url:
                return url
        raise AssertionError(f"no link with {path_fragment!r} in:\n{self.text}")


@dataclass
class Mailbox:
    host: str
    port: int
    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    """Recipients the server answers 550 for."""

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


class SmtpServer:
    """Start and stop an aiosmtpd server on 127.0.0.1 at a free port."""

    def __init__(self) -> None:
        self.mailbox = Mailbox("127.0.0.1", free_port())
        self.controller = Controller(self.mailbox, hostname=self.mailbox.host, port=self.mailbox.port)

    def __enter__(self) -> Mailbox:
        self.controller.start()
        return self.mailbox

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
