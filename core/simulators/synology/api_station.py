"""Download Station's side APIs: Info (getinfo/getconfig/setserverconfig), Statistic, Schedule; DSM.Info (§7)."""

from __future__ import annotations

import time
from typing import Any

from .context import Context, Result
from .errors import ApiError
from .tasks import effective_default_destination

__all__ = ["CONFIG_KEYS", "handle_dsm_info", "handle_info", "handle_schedule", "handle_statistic"]

#: ``getconfig`` keys that ``setserverconfig`` may change.
CONFIG_KEYS = (
    "bt_max_download",
    "bt_max_upload",
    "default_destination",
    "emule_default_destination",
    "emule_enabled",
    "emule_max_download",
    "emule_max_upload",
    "ftp_max_download",
    "http_max_download",
    "nzb_max_download",
    "unzip_service_enabled",
)


def default_config(default_destination: str | None) -> dict[str, object]:
    """A fresh NAS's ``getconfig``: rates in KB/s, 0 = unlimited."""
    return {
        "bt_max_download": 0,
        "bt_max_upload": 800,
        "default_destination": default_destination,
        "emule_default_destination": None,
        "emule_enabled": False,
        "emule_max_download": 0,
        "emule_max_upload": 20,
        "ftp_max_download": 0,
        "http_max_download": 0,
        "nzb_max_download": 0,
        "unzip_service_enabled": False,
    }


def _coerce(key: str, raw: str) -> object:
    if key in ("emule_enabled", "unzip_service_enabled"):
        return raw.strip().lower() in ("true", "1", "yes")
    if key.endswith("destination"):
        return raw
    try:
        return int(raw)
    except ValueError:
        raise ApiError(101) from None


def handle_info(ctx: Context, method: str) -> Result:
    """``SYNO.DownloadStation.Info``: a non-manager gets a sanitized config and its changes are ignored."""
    user = ctx.user
    if method == "getinfo":
        return Result(
            {
                "is_manager": user.manager,
                "version": ctx.personality.ds_build,
                "version_string": ctx.personality.ds_version_string,
            }
        )
    if method == "getconfig":
        config = dict(ctx.state.config)
        if user.manager:
            config["default_destination"] = effective_default_destination(user, ctx.options)
        else:
            config = {
                k: (None if k.endswith("destination") else 0 if isinstance(v, int) and not isinstance(v, bool) else v)
                for k, v in config.items()
            }
        return Result(config)
    if method == "setserverconfig":
        changes = {key: _coerce(key, value) for key in CONFIG_KEYS if (value := ctx.param(key)) is not None}
        if user.manager:  # others get a success that changes nothing (cmeans #123)
            if "default_destination" in changes:
                ctx.options.default_destination = str(changes["default_destination"]) or None
            ctx.state.config.update(changes)
        return Result(omit_data=True)
    raise ApiError(103)


def handle_statistic(ctx: Context, method: str) -> Result:
    """Total speeds in B/s over every non-eMule task on the NAS; no eMule keys while eMule is off."""
    if method != "getinfo":
        raise ApiError(103)
    tasks = [t for t in ctx.state.tasks.values() if t.type != "emule"]
    data: dict[str, Any] = {
        "speed_download": sum(t.speed_download for t in tasks),
        "speed_upload": sum(t.speed_upload for t in tasks),
    }
    if ctx.state.config.get("emule_enabled"):
        data["emule_speed_download"] = 0
        data["emule_speed_upload"] = 0
    return Result(data)


def handle_schedule(ctx: Context, method: str) -> Result:
    """The NAS-wide schedule flags; any Download Station user may toggle them (cmeans)."""
    if method == "getconfig":
        return Result({"enabled": ctx.state.schedule_enabled, "emule_enabled": ctx.state.emule_schedule_enabled})
    if method == "setconfig":
        if (enabled := ctx.param("enabled")) is not None:
            ctx.state.schedule_enabled = enabled.lower() == "true"
        if (emule := ctx.param("emule_enabled")) is not None:
            ctx.state.emule_schedule_enabled = emule.lower() == "true"
        return Result(omit_data=True)
    raise ApiError(103)


def handle_dsm_info(ctx: Context, method: str) -> Result:
    """``SYNO.DSM.Info getinfo``: the serial number Sonarr-style clients build their ids from, the DSM build."""
    if method != "getinfo":
        raise ApiError(103)
    build = ctx.personality.dsm_version_string.rpartition("-")[2].split()[0]
    return Result(
        {
            "codepage": "enu",
            "model": "DS920+",
            "ram": 4096,
            "serial": ctx.state.serial,
            "temperature": 41,
            "temperature_warn": False,
            "time": time.strftime("%a %b %d %H:%M:%S %Y", time.gmtime(ctx.now)),
            "uptime": 86400,
            # The DSM build as a string, as in every capture (py-synologydsm-api compares it with 7321 for DSM 6).
            "version": build,
            "version_string": ctx.personality.dsm_version_string,
        }
    )
