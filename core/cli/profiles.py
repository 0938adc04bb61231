"""Server profiles: a TOML file under the platform's config directory, passwords in the system keyring.

``ENUNCLIC_CONFIG_DIR`` replaces the config directory (tests, portable setups). A password
goes to the keyring when one is available; otherwise it is asked for at run time, unless
the user explicitly chose to store it in the file (``--store-password-plaintext``).
The file is written atomically and readable by its owner only.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..redact import SENSITIVE_NAMES
from .exits import CliError, ExitCode
from .tomlfile import TOMLDecodeError, dumps, loads

__all__ = [
    "CONFIG_DIR_ENV",
    "KEYRING_SERVICE",
    "Profile",
    "Profiles",
    "config_dir",
    "config_path",
    "delete_password",
    "delete_secret_options",
    "keyring_available",
    "load_password",
    "load_profiles",
    "load_secret_options",
    "save_profiles",
    "store_password",
    "store_secret_options",
    "split_secret_options",
    "with_options",
]

CONFIG_DIR_ENV = "ENUNCLIC_CONFIG_DIR"
FILE_NAME = "servers.toml"
KEYRING_SERVICE = "enunclic"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_HEADER = "enunclic server profiles: edit with 'enunclic servers add/remove'.\nPasswords live in the system keyring."


@dataclass(frozen=True)
class Profile:
    """One saved server: its URL never holds a password."""

    name: str
    url: str
    verify: bool | str = True
    tls_fingerprint: str | None = None
    #: Only with ``--store-password-plaintext``.
    password: str | None = field(default=None, repr=False)

    def to_toml(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "verify": None if self.verify is True else self.verify,
            "tls_fingerprint": self.tls_fingerprint,
            "password": self.password,
        }


@dataclass
class Profiles:
    """The whole file: profiles by name and the default one."""

    servers: dict[str, Profile] = field(default_factory=dict)
    default: str | None = None


def check_name(name: str) -> str:
    """Profile names are short and plain, so they stay bare TOML keys and never look like URLs."""
    if not _NAME.fullmatch(name):
        raise CliError(
            f"bad profile name {name!r}: use letters, digits, '-' and '_' (up to 64, starting with a letter or digit)",
            ExitCode.USAGE,
        )
    return name


def config_dir() -> Path:
    """``$ENUNCLIC_CONFIG_DIR``, or the platform's user config directory for enunclic."""
    override = os.environ.get(CONFIG_DIR_ENV)
    if override:
        return Path(override)
    from platformdirs import user_config_path  # noqa: PLC0415 - only commands that read profiles need it

    return user_config_path("enunclic", appauthor=False)


def config_path() -> Path:
    """The profiles file."""
    return config_dir() / FILE_NAME


def _profile(name: str, raw: Any, path: Path) -> Profile:
    if not isinstance(raw, dict) or not isinstance(raw.get("url"), str):
        raise CliError(f"{path}: profile {name!r} needs a url string", ExitCode.ERROR)
    verify = raw.get("verify", True)
    fingerprint = raw.get("tls_fingerprint")
    password = raw.get("password")
    if not isinstance(verify, (bool, str)) or not isinstance(fingerprint, (str, type(None))):
        raise CliError(f"{path}: profile {name!r}: verify must be true/false or a CA path", ExitCode.ERROR)
    if not isinstance(password, (str, type(None))):
        raise CliError(f"{path}: profile {name!r}: password must be a string", ExitCode.ERROR)
    return Profile(name, raw["url"], verify, fingerprint, password)


def load_profiles() -> Profiles:
    """The saved profiles; a missing file is no profiles, a broken one a clear error."""
    path = config_path()
    try:
        _check_private(path)
        data = loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Profiles()
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"cannot read {path}: {exc}", ExitCode.ERROR) from None
    except TOMLDecodeError as exc:
        raise CliError(f"{path} is not valid TOML: {exc}", ExitCode.ERROR) from None
    servers = data.get("servers", {})
    if not isinstance(servers, dict):
        raise CliError(f"{path}: 'servers' must be a table", ExitCode.ERROR)
    default = data.get("default")
    profiles = {name: _profile(name, raw, path) for name, raw in servers.items()}
    return Profiles(profiles, default if isinstance(default, str) and default in profiles else None)


def _check_private(path: Path) -> None:
    """Refuse a profiles file (or its folder) that another user can write: it says where passwords go."""
    for place in (path, path.parent):
        mode = place.stat().st_mode
        if mode & (stat.S_IWGRP | stat.S_IWOTH) and not (place is path.parent and mode & stat.S_ISVTX):
            raise CliError(
                f"{place} can be written by other users, so its server profiles cannot be trusted: "
                f"run 'chmod go-w {place}'",
                ExitCode.ERROR,
            )


def save_profiles(profiles: Profiles) -> Path:
    """Write the file atomically, mode 0600 (it may hold a plaintext password by the user's choice)."""
    path = config_path()
    text = dumps(
        {"default": profiles.default} if profiles.default else {},
        {"servers": {name: p.to_toml() for name, p in sorted(profiles.servers.items())}},
        header=_HEADER,
    )
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # others may not swap the file
        fd, tmp = tempfile.mkstemp(prefix=".servers.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror or exc}", ExitCode.ERROR) from None
    return path


# -- the system keyring (optional: the keyring package, and a usable backend) ----------------------


def _keyring() -> Any | None:
    """The keyring module when a real backend is there; None without one (headless, CI, no package)."""
    try:
        import keyring  # noqa: PLC0415 - optional, and slow to import
        from keyring.backends import fail, null  # noqa: PLC0415
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - a broken keyring setup must never stop the command line
        return None
    if isinstance(backend, (fail.Keyring, null.Keyring)):
        return None
    return keyring


def keyring_available() -> bool:
    """Whether passwords can be stored in a system keyring."""
    return _keyring() is not None


def store_password(profile: str, password: str) -> bool:
    """Save a profile's password in the keyring; False when there is no usable keyring."""
    keyring = _keyring()
    if keyring is None:
        return False
    try:
        keyring.set_password(KEYRING_SERVICE, profile, password)
    except Exception:  # noqa: BLE001 - locked or broken keyring: the caller falls back to asking
        return False
    return True


def load_password(profile: str) -> str | None:
    """A profile's password from the keyring, or None."""
    keyring = _keyring()
    if keyring is None:
        return None
    try:
        value = keyring.get_password(KEYRING_SERVICE, profile)
    except Exception:  # noqa: BLE001 - locked or broken keyring: ask instead
        return None
    return value if isinstance(value, str) else None


def delete_password(profile: str) -> None:
    """Forget a profile's password in the keyring (nothing to do when absent)."""
    keyring = _keyring()
    if keyring is None:
        return
    with contextlib.suppress(Exception):
        keyring.delete_password(KEYRING_SERVICE, profile)


# -- secrets in a URL's query (API keys, RPC secrets, device tokens): kept like passwords ---------------

#: The keyring entry of a profile's secret options: the profile name with this suffix.
_OPTIONS_ENTRY = "?options"


def split_secret_options(url: str) -> tuple[str, dict[str, str]]:
    """``url`` without the query options that are secrets, and those options."""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    secrets = {k: v for k, v in pairs if k.lower() in SENSITIVE_NAMES}
    if not secrets:
        return url, {}
    kept = urlencode([(k, v) for k, v in pairs if k.lower() not in SENSITIVE_NAMES])
    return urlunsplit((parts.scheme, parts.netloc, parts.path, kept, parts.fragment)), secrets


def with_options(url: str, options: dict[str, str]) -> str:
    """``url`` with ``options`` added to its query."""
    if not options:
        return url
    return f"{url}{'&' if '?' in url else '?'}{urlencode(options)}"


def store_secret_options(profile: str, options: dict[str, str]) -> bool:
    """Save a profile's secret options in the keyring; False when there is no usable keyring."""
    return store_password(profile + _OPTIONS_ENTRY, urlencode(options))


def load_secret_options(profile: str) -> dict[str, str]:
    """A profile's secret options from the keyring (none when absent or without a keyring)."""
    saved = load_password(profile + _OPTIONS_ENTRY)
    return dict(parse_qsl(saved, keep_blank_values=True)) if saved else {}


def delete_secret_options(profile: str) -> None:
    """Forget a profile's secret options in the keyring."""
    delete_password(profile + _OPTIONS_ENTRY)
