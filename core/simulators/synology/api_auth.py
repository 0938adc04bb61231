"""``SYNO.API.Auth`` (login with optional 2FA and device tokens, auto-block, logout; reference §3),
``SYNO.API.Encryption`` and ``SYNO.API.Auth.UIConfig`` (the login ciphers of plain HTTP, see :mod:`.ciphers`)."""

from __future__ import annotations

import secrets
from typing import Any

from . import ciphers
from .context import Context, Result
from .errors import ApiError
from .state import SessionRecord

__all__ = ["COOKIE_MAX_AGE", "handle", "handle_encryption", "handle_uiconfig", "session_cookie"]

#: The session cookie's lifetime seen on DSM 7.2 (reference §3.2).
COOKIE_MAX_AGE = 604800
#: The device-token cookie lives about 30 days.
DEVICE_COOKIE_MAX_AGE = 30 * 86400


def session_cookie(name: str, value: str, max_age: int) -> str:
    """A ``Set-Cookie`` value in DSM's form."""
    return f"{name}={value};max-age={max_age};path=/;HttpOnly"


def handle(ctx: Context, method: str) -> Result:
    """``login`` and ``logout``; anything else is an unknown method (103)."""
    if method == "login":
        return _login(ctx)
    if method == "logout":
        return _logout(ctx)
    raise ApiError(103)


def handle_encryption(ctx: Context, method: str) -> Result:
    """``getinfo``: the RSA modulus, the names of the cipher fields and the server time the token must echo."""
    if method != "getinfo":
        raise ApiError(103)
    return Result(
        {
            "cipherkey": ciphers.CIPHER_KEY,
            "ciphertoken": ciphers.CIPHER_TOKEN,
            "public_key": ciphers.public_key_hex(),
            "server_time": int(ctx.now),
        }
    )


def _noise_key(ctx: Context) -> ciphers.NoiseKey:
    if ctx.state.noise_key is None:
        ctx.state.noise_key = ciphers.NoiseKey()
    return ctx.state.noise_key


def handle_uiconfig(ctx: Context, method: str) -> Result:
    """DSM 7 ``get``: the login page's settings, and the ``_SSID`` cookie holding the NAS's Noise public key."""
    if method != "get":
        raise ApiError(103)
    cookie = session_cookie("_SSID", _noise_key(ctx).cookie, COOKIE_MAX_AGE)
    return Result({"enable_rememberme": True, "login_style": "default"}, cookies=[cookie])


def _decrypt_login(ctx: Context) -> None:
    """Replace ``__cIpHeRtExT`` by the parameters it carries; one that does not decrypt is a bad request (101)."""
    envelope = ctx.param(ciphers.CIPHER_KEY)
    if envelope is None:
        return
    if not ciphers.available():
        raise ApiError(101)
    try:
        ctx.request.form.update(ciphers.decrypt_params(envelope, ctx.now))
    except ciphers.CipherError:
        raise ApiError(101) from None


def _handshake(ctx: Context) -> str:
    """The reply half of the DSM 7 Noise handshake when the login carries ``ik_message`` ("" otherwise)."""
    message = ctx.param("ik_message")
    if not message or ctx.version < 7 or not ciphers.available():
        return ""
    try:
        _, reply = _noise_key(ctx).answer(message)
    except ciphers.CipherError:
        raise ApiError(101) from None
    return reply


def _fail(ctx: Context, code: int) -> ApiError:
    """Count a failed login from this address; enough of them in the window block it (407)."""
    state, options, client = ctx.state, ctx.options, ctx.request.client
    recent = [t for t in state.failures.get(client, []) if ctx.now - t < options.block_window]
    recent.append(ctx.now)
    state.failures[client] = recent
    if len(recent) >= options.block_threshold:
        state.blocked.add(client)
    return ApiError(code)


def _login(ctx: Context) -> Result:
    state, options = ctx.state, ctx.options
    if ctx.version < ctx.personality.min_login_version:
        raise ApiError(103)  # DSM 7 lists Auth from v1 but refuses v1/v2 logins (reference §3.1)
    if ctx.request.client in state.blocked:
        raise ApiError(407)
    _decrypt_login(ctx)
    ik_reply = _handshake(ctx)
    name = ctx.param("account")
    password = ctx.param("passwd")
    if name is None or password is None:
        raise ApiError(101)
    account = state.accounts.get(name)
    if account is None or not secrets.compare_digest(account.password.encode(), password.encode()):
        raise _fail(ctx, 400)
    if account.disabled:
        raise ApiError(401)
    if account.otp_enforced and account.otp_code is None:
        raise ApiError(406)
    device_token: str | None = None
    if account.otp_code is not None:
        presented = ctx.param("device_id") or ctx.request.cookies.get("did")
        trusted = ctx.version >= 6 and presented is not None and presented in account.device_tokens
        if not trusted:
            otp = ctx.param("otp_code")
            if not otp:
                raise ApiError(403)
            if not secrets.compare_digest(otp.encode(), account.otp_code.encode()):
                raise _fail(ctx, 404)
            if ctx.version >= 6 and (ctx.param("enable_device_token") or "").lower() == "yes":
                device_token = secrets.token_urlsafe(24)
                account.device_tokens.add(device_token)
    session_name = ctx.param("session") or "DownloadStation"
    if options.interrupt_duplicate_logins:
        for record in state.sessions.values():
            if record.account == account.name and record.name == session_name and record.state == "active":
                record.state = "interrupted"
    sid = secrets.token_urlsafe(32)
    state.sessions[sid] = SessionRecord(
        sid=sid, account=account.name, name=session_name, created=ctx.now, last_used=ctx.now
    )
    state.failures.pop(ctx.request.client, None)
    return _login_reply(ctx, sid, device_token, ik_reply)


def _login_reply(ctx: Context, sid: str, device_token: str | None, ik_reply: str) -> Result:
    version = ctx.version
    fmt = (ctx.param("format") or "cookie").lower()
    cookies: list[str] = []
    if version < 2 or fmt != "sid":
        cookies.append(session_cookie("id", sid, COOKIE_MAX_AGE))
    if device_token is not None:
        cookies.append(session_cookie("did", device_token, DEVICE_COOKIE_MAX_AGE))
    data: dict[str, Any] = {"is_portal_port": False}
    if version >= 2:
        data["sid"] = sid  # v1 hands the session out only as a cookie (NDM: v2 is the first with an sid)
    if version >= 3:
        wants_token = (ctx.param("enable_syno_token") or "").lower() == "yes"
        if ctx.personality.dsm_major >= 7 and not wants_token:
            data["synotoken"] = "--------"
        else:
            data["synotoken"] = secrets.token_urlsafe(12)
    if version >= 7:
        data["account"] = ctx.param("account")
        data["device_id"] = device_token or ""
        data["ik_message"] = ik_reply
    elif device_token is not None:
        data["did"] = device_token
    return Result(data, cookies=cookies)


def _logout(ctx: Context) -> Result:
    """Ends the session named by ``_sid`` or the cookie; without one DSM says success and ends nothing."""
    sid = ctx.param("_sid") or ctx.request.cookies.get("id")
    if sid is not None:
        ctx.state.sessions.pop(sid, None)
    return Result(omit_data=True, cookies=[session_cookie("id", "", 0)] if sid else [])
