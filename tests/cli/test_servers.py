"""``enunclic servers``: profiles in a TOML file, passwords in the keyring, never printed."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import keyring
import pytest

from enunclic.cli.profiles import KEYRING_SERVICE
from enunclic.cli.select import strip_password
from enunclic.cli.tomlfile import loads

from .conftest import PASSWORD, MemoryKeyring, Nas, cli


def _file(config: Path) -> dict[str, object]:
    return loads((config / "servers.toml").read_text())


def test_add_stores_the_password_in_the_keyring(isolated: Path, memory_keyring: MemoryKeyring, nas: Nas) -> None:
    result = cli(["servers", "add", "home", nas.url], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "password: keyring" in result.stdout
    assert memory_keyring.store == {(KEYRING_SERVICE, "home"): PASSWORD}
    data = _file(isolated)
    assert data == {"default": "home", "servers": {"home": {"url": nas.url}}}
    assert PASSWORD not in (isolated / "servers.toml").read_text()
    assert PASSWORD not in result.output
    # The saved profile connects with the keyring's password, selected as the default.
    listed = cli(["list", "--json"])
    assert listed.exit_code == 0, listed.output
    assert len(json.loads(listed.stdout)) == 8


def test_password_in_the_url_goes_to_the_keyring_not_the_file(
    isolated: Path, memory_keyring: MemoryKeyring, nas: Nas
) -> None:
    url = f"synology://admin:{PASSWORD}@127.0.0.1:{nas.port}"
    result = cli(["servers", "add", "home", url])
    assert result.exit_code == 0, result.output
    assert _file(isolated)["servers"] == {"home": {"url": nas.url}}
    assert memory_keyring.store[(KEYRING_SERVICE, "home")] == PASSWORD
    assert PASSWORD not in result.output


def test_without_a_keyring_the_password_is_asked_at_run_time(isolated: Path, nas: Nas) -> None:
    result = cli(["servers", "add", "home", nas.url])
    assert result.exit_code == 0, result.output
    assert "password: none" in result.stdout
    assert _file(isolated)["servers"] == {"home": {"url": nas.url}}
    asked = cli(["list", "--json"], input=PASSWORD + "\n")
    assert asked.exit_code == 0, asked.output
    assert "Password for admin on home" in asked.stderr
    assert len(json.loads(asked.stdout)) == 8
    # No answer (end of input): a clear error and the connection exit code.
    unanswered = cli(["list"], input="")
    assert unanswered.exit_code == 3
    assert "no password for admin on home" in unanswered.stderr


def test_a_keyring_password_replaced_by_no_password_is_forgotten(memory_keyring: MemoryKeyring, nas: Nas) -> None:
    assert cli(["servers", "add", "home", nas.url], input=PASSWORD + "\n").exit_code == 0
    result = cli(["servers", "add", "home", nas.url, "--replace", "--no-password"])
    assert result.exit_code == 0, result.output
    assert memory_keyring.store == {}


def test_plaintext_only_with_the_flag_and_a_warning(isolated: Path, nas: Nas) -> None:
    result = cli(["--password-stdin", "servers", "add", "nas", nas.url, "--store-password-plaintext"], input=PASSWORD)
    assert result.exit_code == 0, result.output
    assert "UNENCRYPTED" in result.stderr
    assert _file(isolated)["servers"] == {"nas": {"url": nas.url, "password": PASSWORD}}
    mode = stat.S_IMODE(os.stat(isolated / "servers.toml").st_mode)
    assert mode == 0o600
    listed = cli(["servers", "list", "--json"])
    assert PASSWORD not in listed.output
    assert json.loads(listed.stdout) == [
        {"name": "nas", "url": nas.url, "default": True, "password": "file", "verify": True, "tls_fingerprint": None}
    ]


def test_list_remove_and_default(isolated: Path, memory_keyring: MemoryKeyring) -> None:
    assert cli(["servers", "add", "a", "transmission://127.0.0.1:9091"]).exit_code == 0
    assert cli(["servers", "add", "b", "qbittorrent://127.0.0.1:8080", "--default", "--insecure"]).exit_code == 0
    pinned = ["servers", "add", "c", "transmission+https://h", "--ca-bundle", "/ca.pem", "--fingerprint", "ab" * 32]
    assert cli(pinned).exit_code == 0
    assert _file(isolated)["servers"]["c"] == {  # type: ignore[index]
        "url": "transmission+https://h",
        "verify": "/ca.pem",
        "tls_fingerprint": "ab" * 32,
    }
    assert cli(["servers", "remove", "c"]).exit_code == 0
    rows = json.loads(cli(["servers", "list", "--json"]).stdout)
    assert [(r["name"], r["default"], r["password"], r["verify"]) for r in rows] == [
        ("a", False, "ask", True),
        ("b", True, "ask", False),
    ]
    table = cli(["servers", "list"])
    assert "transmission://127.0.0.1:9091" in table.stdout
    assert "no verification" in table.stdout
    assert cli(["servers", "remove", "b"]).exit_code == 0
    assert _file(isolated)["default"] == "a"
    missing = cli(["servers", "remove", "b"])
    assert missing.exit_code == 2
    assert "no server profile named 'b'" in missing.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["servers", "add", "bad name", "transmission://127.0.0.1"], "bad profile name"),
        (["servers", "add", "x", "nosuch://127.0.0.1"], "nosuch"),
        (["servers", "add", "x", "127.0.0.1:9091"], "not a server URL"),
        (["servers", "add", "x", "transmission://h", "--insecure", "--ca-bundle", "/ca.pem"], "contradict"),
    ],
)
def test_add_refuses_bad_input_with_exit_2(args: list[str], message: str) -> None:
    result = cli(args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1  # one readable line, no traceback


def test_add_refuses_to_overwrite_without_replace() -> None:
    assert cli(["servers", "add", "a", "transmission://127.0.0.1:9091"]).exit_code == 0
    again = cli(["servers", "add", "a", "transmission://127.0.0.1:9092"])
    assert again.exit_code == 2
    assert "--replace" in again.stderr


def test_servers_test_reports_the_server(saved: Nas) -> None:
    result = cli(["servers", "test", "nas", "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["backend"] == "synology"
    assert info["capabilities"] == sorted(info["capabilities"])
    assert "add_magnet" in info["capabilities"]
    human = cli(["servers", "test"])
    assert human.exit_code == 0, human.output
    assert f"OK: http://127.0.0.1:{saved.port} is synology" in human.stdout


def test_servers_test_wrong_password_exits_3(nas: Nas) -> None:
    result = cli(["--password-stdin", "servers", "test", nas.url], input="Nope-7x!\n")
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith("Error: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Nope-7x!" not in result.output


def test_broken_profiles_file_is_a_clear_error(isolated: Path) -> None:
    isolated.mkdir(parents=True)
    (isolated / "servers.toml").write_text("[servers.a\nurl = 1")
    result = cli(["servers", "list"])
    assert result.exit_code == 1
    assert "is not valid TOML" in result.stderr


def test_no_server_selected_lists_the_profiles(memory_keyring: MemoryKeyring) -> None:
    none = cli(["list"])
    assert none.exit_code == 2
    assert "enunclic servers add NAME URL" in none.stderr
    unknown = cli(["--server", "nope", "list"])
    assert unknown.exit_code == 2
    assert "no server profile named 'nope'" in unknown.stderr


def test_environment_selects_the_server(monkeypatch: pytest.MonkeyPatch, nas: Nas) -> None:
    monkeypatch.setenv("ENUNCLIC_SERVER", nas.url)
    result = cli(["--password-stdin", "list", "--json"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 8


def test_a_url_matching_a_profile_uses_its_password(saved: Nas) -> None:
    result = cli(["-s", saved.url, "list", "--json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 8


def test_two_step_verification_needs_otp(nas: Nas) -> None:
    nas.sim.add_account("bob", "pw-bob", manager=True, otp_code="246810")
    url = f"synology://bob@127.0.0.1:{nas.port}"
    without = cli(["--password-stdin", "-s", url, "list"], input="pw-bob\n")
    assert without.exit_code == 3
    assert "--otp CODE" in without.stderr
    with_code = cli(["--password-stdin", "--otp", "246810", "-s", url, "list", "--json"], input="pw-bob\n")
    assert with_code.exit_code == 0, with_code.output
    assert len(json.loads(with_code.stdout)) == 8


def test_config_dir_defaults_to_the_platform_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    from enunclic.cli.profiles import config_path

    monkeypatch.delenv("ENUNCLIC_CONFIG_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert config_path() == tmp_path / "xdg" / "enunclic" / "servers.toml"
    assert cli(["servers", "add", "a", "transmission://127.0.0.1:9091"]).exit_code == 0
    assert config_path().exists()


class BrokenKeyring(MemoryKeyring):
    """A keyring that is there but fails every call (locked, D-Bus gone)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("locked")


def test_a_broken_keyring_falls_back_to_asking(nas: Nas) -> None:
    keyring.set_keyring(BrokenKeyring())
    added = cli(["servers", "add", "home", nas.url], input=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    assert "password: none" in added.stdout
    assert "no usable system keyring" in added.stderr
    listed = cli(["list", "--json"], input=PASSWORD + "\n")
    assert listed.exit_code == 0, listed.output
    assert "Password for admin on home" in listed.stderr


@pytest.mark.parametrize(
    ("rest", "expected"),
    [
        ("127.0.0.1:9091", "127.0.0.1:9091"),
        ("admin@nas:5001", "admin@nas:5001"),
        ("admin:pw@nas:5001", "admin@nas:5001"),
        ("admin:p@ss@nas/path?x=1", "admin@nas/path?x=1"),
        (":pw@nas", "nas"),
        ("nas?mail=a@b", "nas?mail=a@b"),
        ("admin:pw@nas#frag@x", "admin@nas#frag@x"),
    ],
)
def test_strip_password(rest: str, expected: str) -> None:
    assert strip_password(rest) == expected


def test_the_config_folder_is_private_even_under_umask_0(isolated: Path, memory_keyring: MemoryKeyring) -> None:
    previous = os.umask(0)
    try:
        assert cli(["servers", "add", "a", "transmission://127.0.0.1:9091"]).exit_code == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE(isolated.stat().st_mode) == 0o700
    assert stat.S_IMODE((isolated / "servers.toml").stat().st_mode) == 0o600


@pytest.mark.parametrize("place", ["file", "folder"])
def test_profiles_others_can_write_are_refused(isolated: Path, memory_keyring: MemoryKeyring, place: str) -> None:
    assert cli(["servers", "add", "a", "transmission://127.0.0.1:9091"]).exit_code == 0
    target = isolated / "servers.toml" if place == "file" else isolated
    target.chmod(stat.S_IMODE(target.stat().st_mode) | stat.S_IWOTH)
    result = cli(["servers", "list"])
    assert result.exit_code != 0
    assert "can be written by other users" in result.stderr


API_KEY = "qbt_Secret-Api-Key-42"


def test_a_secret_in_the_url_goes_to_the_keyring_and_is_never_printed(
    isolated: Path, memory_keyring: MemoryKeyring
) -> None:
    added = cli(["servers", "add", "qb", f"qbittorrent://127.0.0.1:8080?api_key={API_KEY}"])
    assert added.exit_code == 0, added.output
    listed = cli(["servers", "list"])
    listed_json = cli(["servers", "list", "--json"])
    for output in (added.stdout, added.stderr, listed.stdout, listed_json.stdout):
        assert API_KEY not in output
    assert API_KEY not in (isolated / "servers.toml").read_text()
    assert memory_keyring.store[(KEYRING_SERVICE, "qb?options")] == f"api_key={API_KEY}"
    from enunclic.cli.select import GlobalOptions, resolve_target

    target = resolve_target("qb", GlobalOptions())
    assert target.url.endswith(f"?api_key={API_KEY}") and API_KEY not in target.label
    assert cli(["servers", "remove", "qb"]).exit_code == 0
    assert (KEYRING_SERVICE, "qb?options") not in memory_keyring.store


def test_without_a_keyring_a_secret_in_the_url_needs_the_plaintext_flag(isolated: Path) -> None:
    url = f"qbittorrent://127.0.0.1:8080?api_key={API_KEY}"
    refused = cli(["servers", "add", "qb", url])
    assert refused.exit_code == 2 and "api_key" in refused.stderr and API_KEY not in refused.output
    kept = cli(["servers", "add", "qb", url, "--store-password-plaintext"])
    assert kept.exit_code == 0 and API_KEY not in kept.output
    assert API_KEY in (isolated / "servers.toml").read_text()


def test_a_password_without_a_user_name_is_stored_from_stdin(isolated: Path) -> None:
    result = cli(
        ["--password-stdin", "servers", "add", "dl", "deluge://127.0.0.1:8112", "--store-password-plaintext"],
        input="deluge-pw\n",
    )
    assert result.exit_code == 0, result.output
    assert _file(isolated)["servers"]["dl"]["password"] == "deluge-pw"  # type: ignore[index]


def test_a_parsed_url_keeps_its_options_out_of_repr() -> None:
    import enunclic
    from enunclic.urls import parse_server_url

    parsed = parse_server_url("synology://nas?otp_code=123456&device_token=DeviceTok", enunclic.get_backends())
    assert parsed.options["device_token"] == "DeviceTok"
    assert "DeviceTok" not in repr(parsed) and "123456" not in repr(parsed)
