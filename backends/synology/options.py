"""The synology backend's own options (``connect(url, otp_code=..., device_token=...)``)."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

__all__ = ["SynologyOptions"]


class SynologyOptions(BaseModel):
    """Options beyond url/username/password/verify/timeout; unknown ones are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: A one-time 2-step verification code for the first login of a 2FA account.
    otp_code: SecretStr | None = None
    #: A device token from an earlier OTP login (``client.backend.device_token``): logs in without a code.
    device_token: SecretStr | None = None
    #: The name DSM shows for this device under "trusted devices".
    device_name: str = Field(default="enunclic", min_length=1, max_length=64)
    #: Tasks per ``list`` request; larger lists are fetched in pages. Every DSM request costs a
    #: round trip through its CGI, and other clients ask for all tasks at once (``limit=-1``):
    #: 2,000 keeps nearly every NAS to one request while a page stays under about 1.5 MB.
    page_size: int = Field(default=2000, ge=1, le=100_000)
    #: The most tasks one listing reads: a server whose pages never end (``total`` far above what it
    #: holds, a new page every time) would otherwise grow the listing until memory runs out.
    max_tasks: int = Field(default=100_000, ge=1)

    @field_validator("otp_code")
    @classmethod
    def _otp_is_digits(cls, value: SecretStr | None) -> SecretStr | None:
        # The message never repeats the code.
        if value is not None and not re.fullmatch(r"\d{6,8}", value.get_secret_value()):
            raise ValueError("must be the 6-digit code from the authenticator app, as a string")
        return value
