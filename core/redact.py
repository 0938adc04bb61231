"""Keep secrets out of logs, reprs and error messages."""

from __future__ import annotations

import logging
import re
import threading
from typing import Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["SENSITIVE_NAMES", "install_log_redaction", "redact_text", "redact_url"]

#: Query/form names whose values are never shown (compared lower-case).
SENSITIVE_NAMES: Final[frozenset[str]] = frozenset(
    {
        "_sid",
        "sid",
        "passwd",
        "password",
        "pass",
        "otp_code",
        "device_id",
        "did",
        "api_key",
        "apikey",
        "token",
        "synotoken",
        "secret",
    }
)

_MASK: Final = "***"


def redact_url(url: str, *, keep_user: bool = False) -> str:
    """The URL without userinfo (``keep_user``: without its password) and with sensitive query values masked."""
    parts = urlsplit(url)
    userinfo, at, netloc = parts.netloc.rpartition("@")
    if keep_user and at and userinfo.split(":", 1)[0]:
        netloc = f"{userinfo.split(':', 1)[0]}@{netloc}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, _MASK if k.lower() in SENSITIVE_NAMES else v) for k, v in pairs], safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


#: Headers whose values are credentials or sessions.
SENSITIVE_HEADERS: Final[frozenset[str]] = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-transmission-session-id",
        "x-syno-token",
        "x-api-key",
        "x-token",
    }
)

_NAMES = "|".join(re.escape(name) for name in sorted(SENSITIVE_NAMES | SENSITIVE_HEADERS, key=len, reverse=True))
_HEADERS = "|".join(re.escape(name) for name in sorted(SENSITIVE_HEADERS, key=len, reverse=True))
# A header as the HTTP stack logs it, ``(b'Set-Cookie', b'SID=...')``, or ``Name: value`` on a line of its own.
_HEADER = re.compile(rf"""(?P<head>[(\[]\s*b?['"](?:{_HEADERS})['"]\s*,\s*b?['"])[^'"]*""", re.IGNORECASE)
_HEADER_LINE = re.compile(rf"(?P<head>^\s*(?:{_HEADERS})\s*:\s*)\S.*$", re.IGNORECASE | re.MULTILINE)
_QUERY = re.compile(rf"""(?P<head>[?&;](?:{_NAMES})=)[^&\s'"]*""", re.IGNORECASE)


def redact_text(text: str) -> str:
    """``text`` with the values of sensitive headers and query parameters masked."""
    if not text:
        return text
    text = _HEADER.sub(lambda m: m.group("head") + _MASK, text)
    text = _HEADER_LINE.sub(lambda m: m.group("head") + _MASK, text)
    return _QUERY.sub(lambda m: m.group("head") + _MASK, text)


class _RedactingFilter(logging.Filter):
    """Rewrites a log record's message with its secrets masked (the record is kept)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record of another library is left to logging
            return True
        redacted = redact_text(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


#: The loggers the requests of a client pass through: httpx's, and httpcore's (which logs every header).
THIRD_PARTY_LOGGERS: Final[tuple[str, ...]] = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)

_FILTER = _RedactingFilter()
_INSTALLED = threading.Event()


def install_log_redaction() -> None:
    """Mask secrets in what httpx and httpcore log about this library's requests (idempotent).

    A filter on a logger sees only the records logged there, so each of their loggers gets one;
    it changes nothing but the text of records that carry a credential or a session.
    """
    if _INSTALLED.is_set():
        return
    for name in THIRD_PARTY_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
    _INSTALLED.set()
