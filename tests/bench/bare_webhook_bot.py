"""The reference for the webhook benchmark: a bare PTB bot behind PTB's custom-webhook pattern.

PTB's ``examples/customwebhookbot/starlettebot.py`` reduced to what the benchmark needs: one
``/faq`` handler replying the same menu (text and buttons) our bot sends, Starlette + uvicorn,
the secret token checked. No database, no rate limiter, no other handler.

Run as ``python -m tests.bench.bare_webhook_bot PORT API_URL SECRET``; stops on SIGTERM.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from http import HTTPStatus
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import Application, CommandHandler, ContextTypes, Defaults

from bot.config import PROJECT_DIR
from bot.features.content import load_content
from handlers.faq import menu

TOKEN = "123456:bench-token"


async def main(port: int, api_url: str, secret: str) -> None:
    """Serve until SIGTERM."""
    text, markup = menu(load_content(PROJECT_DIR / "content"), 0)

    async def faq(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(text, reply_markup=markup)

    application = (
        Application.builder()
        .token(TOKEN)
        .base_url(f"{api_url}/bot")
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .updater(None)
        .build()
    )
    application.add_handler(CommandHandler("faq", faq))

    async def telegram(request: Request) -> Response:
        if request.headers.get("X-Telegram-Bot-Api-Secret-Token") != secret:
            return Response(status_code=HTTPStatus.FORBIDDEN)
        await application.update_queue.put(Update.de_json(await request.json(), application.bot))
        return Response()

    async def health(_request: Request) -> PlainTextResponse:
        return PlainTextResponse("ok")

    app = Starlette(
        routes=[
            Route("/hook", telegram, methods=["POST"]),
            Route("/healthz", health, methods=["GET"]),
        ]
    )
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with application:
        await application.start()
        serving = asyncio.create_task(server.serve())
        await stop.wait()
        server.should_exit = True
        await serving
        await application.stop()


if __name__ == "__main__":
    args: list[Any] = sys.argv[1:]
    asyncio.run(main(int(args[0]), args[1], args[2]))
