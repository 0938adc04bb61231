"""Keep secrets out of logs, reprs and error messages."""

from __future__ import annotations

from typing import Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["SENSITIVE_NAMES", "redact_url"]

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


def redact_url(url: str) -> str:
    """The URL without userinfo and with sensitive query values masked."""
    parts = urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2]
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, _MASK if k.lower() in SENSITIVE_NAMES else v) for k, v in pairs], safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
