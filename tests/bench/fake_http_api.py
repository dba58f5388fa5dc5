"""A minimal HTTP Bot API for the benchmarks: answers fast, records when each message arrived.

Run as ``python -m tests.bench.fake_http_api PORT_FILE``: it listens on 127.0.0.1 only, writes
its port to PORT_FILE, and stops by itself after IDLE seconds without a request or LIFETIME
seconds in all. ``GET /stats`` returns the arrival times (monotonic clock of this process,
shared by the machine) of every ``sendMessage``; ``GET /reset`` forgets them.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

IDLE = 60.0
LIFETIME = 900.0

ME = {
    "id": 700000001,
    "is_bot": True,
    "first_name": "FibroBot",
    "username": "FibroBenchBot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
MESSAGE = {
    "message_id": 1,
    "date": 0,
    "chat": {"id": 1, "type": "private", "first_name": "Member"},
    "from": ME,
    "text": "tip",
}


class Server:
    """The recording server."""

    def __init__(self) -> None:
        self.arrivals: list[float] = []
        self.last_request = time.monotonic()

    def answer(self, path: str) -> bytes:
        """The JSON body for one request path."""
        method = path.rsplit("/", 1)[-1]
        if path == "/stats":
            return json.dumps({"arrivals": self.arrivals}).encode()
        if path == "/reset":
            self.arrivals.clear()
            return b'{"ok":true}'
        if method == "sendMessage":
            self.arrivals.append(time.monotonic())
            return json.dumps({"ok": True, "result": MESSAGE}).encode()
        result: object = ME if method == "getMe" else ([] if method == "getUpdates" else True)
        return json.dumps({"ok": True, "result": result}).encode()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Serve one keep-alive connection."""
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                length = 0
                for line in lines[1:]:
                    if line.lower().startswith("content-length:"):
                        length = int(line.split(":", 1)[1])
                if length:
                    await reader.readexactly(length)
                self.last_request = time.monotonic()
                body = self.answer(path)
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + f"Content-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


async def serve(port_file: Path) -> None:
    """Listen on 127.0.0.1 until idle or too old."""
    server = Server()
    listener = await asyncio.start_server(server.handle, "127.0.0.1", 0, backlog=1024)
    port = listener.sockets[0].getsockname()[1]
    port_file.write_text(str(port))  # noqa: ASYNC240 (once, before serving)
    started = time.monotonic()
    async with listener:
        while True:
            await asyncio.sleep(0.5)
            now = time.monotonic()
            if now - server.last_request > IDLE or now - started > LIFETIME:
                return


if __name__ == "__main__":
    asyncio.run(serve(Path(sys.argv[1])))
