"""qBittorrent backend tests: mapping, WebUI API layer (respx), real daemons, contract suite."""
