"""``LOG_FORMAT=json``: one JSON object per log line, for log collectors.

The same rule as the text format: log calls carry ids, never message text, and the token is
blanked out of every line (tracebacks included), because httpx errors can quote the URL.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

# LogRecord attributes that are not "extra" fields given by the caller.
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """Formats a record as ``{"time", "level", "logger", "message", ...}`` on one line."""

    def __init__(self, secret: str | None) -> None:
        super().__init__()
        self.secret = secret

    def format(self, record: logging.LogRecord) -> str:
        """One line of JSON; ``exc`` holds the traceback when there is one."""
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(_extras(record))
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        line = json.dumps(entry, ensure_ascii=False, default=str)
        return line.replace(self.secret, "[token]") if self.secret else line


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    """Fields given with ``extra={...}`` (ids such as chat_id), kept as they are."""
    return {
        k: v for k, v in record.__dict__.items() if k not in _STANDARD and not k.startswith("_")
    }
