"""Snapshot responses are private per credential whatever the route said (pure)."""

from __future__ import annotations

import pytest

from dashboard.auth.snapshots import is_snapshot, private_headers


@pytest.mark.parametrize(
    ("given", "cache"),
    [
        (b"public, max-age=86400, immutable", b"private, max-age=86400, immutable"),
        (b"no-cache", b"private, no-cache"),
        (b"Public, s-maxage=600, max-age=60", b"private, max-age=60"),
        (b"private, no-store", b"private, no-store"),
        (None, b"private, no-store"),
    ],
)
def test_cache_control_becomes_private(given: bytes | None, cache: bytes) -> None:
    headers = [(b"content-type", b"image/jpeg")]
    if given is not None:
        headers.append((b"Cache-Control", given))
    out = private_headers(headers)
    assert dict(out)[b"cache-control"] == cache
    assert dict(out)[b"vary"] == b"Cookie"
    assert (b"content-type", b"image/jpeg") in out
    assert [k for k, _ in out].count(b"cache-control") == 1


def test_vary_keeps_what_the_route_said() -> None:
    out = dict(private_headers([(b"vary", b"Accept-Encoding")]))
    assert out[b"vary"] == b"Accept-Encoding, Cookie"
    assert dict(private_headers([(b"vary", b"cookie")]))[b"vary"] == b"cookie"


def test_snapshot_paths_as_the_router_reads_them() -> None:
    assert is_snapshot("/snapshots/c1/latest.jpg")
    assert is_snapshot("//snapshots//c1/latest.jpg")
    assert not is_snapshot("/snapshotsx/c1.jpg") and not is_snapshot("/wall/x")
