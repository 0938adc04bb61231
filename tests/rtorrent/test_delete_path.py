"""remove(delete_data=True) deletes only the torrent's own file or folder inside its directory."""

from __future__ import annotations

import pytest

from enunclic import PermissionDeniedError, ProtocolError
from enunclic.backends.rtorrent.backend import data_path
from enunclic.backends.rtorrent.xmlrpc import Fault


@pytest.mark.parametrize(
    ("name", "directory", "base_path", "multi", "expected"),
    [
        ("a.bin", "/srv/dl", "/srv/dl/a.bin", 0, "/srv/dl/a.bin"),
        ("a.bin", "/srv/dl/", "", 0, "/srv/dl/a.bin"),  # closed torrents have no base path
        ("Album", "/srv/dl/Album", "/srv/dl/Album", 1, "/srv/dl/Album"),
        ("ABC.meta", "/srv/dl", "", 0, "/srv/dl/ABC.meta"),  # a magnet's metadata file
    ],
)
def test_the_torrents_own_path(name: str, directory: str, base_path: str, multi: int, expected: str) -> None:
    assert data_path(name, directory, base_path, multi) == expected


@pytest.mark.parametrize(
    ("name", "directory", "base_path", "multi"),
    [
        ("..", "/srv/dl", "", 0),
        (".", "/srv/dl", "", 0),
        ("", "/srv/dl", "", 0),
        ("a/../../etc", "/srv/dl", "", 0),
        ("a.bin", "relative/dl", "", 0),
        ("a.bin", "/srv/../etc", "", 0),
        ("a.bin", "/", "", 0),
        ("a.bin", "/srv/dl", "/etc/passwd", 0),  # rTorrent's own base path disagrees
        ("Album", "/srv/dl", "/srv/dl", 1),  # a multi-file folder not named after the torrent
        ("srv", "/srv", "/srv", 1),  # a folder right under /
    ],
)
def test_anything_else_is_refused(name: str, directory: str, base_path: str, multi: int) -> None:
    with pytest.raises(PermissionDeniedError):
        data_path(name, directory, base_path, multi)


def test_faults_and_wrong_types() -> None:
    with pytest.raises(ProtocolError):
        data_path(1, "/srv/dl", "", 0)
    with pytest.raises(Exception, match="no such torrent"):
        data_path(Fault(-501, "Could not find info-hash."), "/srv/dl", "", 0)
