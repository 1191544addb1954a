"""Authentication of the platform's requests: the shared token and the HMAC signature,
with the clock injected so that the window is tested without waiting."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from gyrfalcon import probe
from gyrfalcon.probe.auth import Authenticator

TOKEN = "probe-token-0123456789"
SECRET = "probe-hmac-secret-abcdef"
NOW = 1_700_000_000


def _headers(signed: dict[str, str]) -> dict[str, str]:
    return {name.lower(): value for name, value in signed.items()}


def test_sign_follows_the_documented_recipe() -> None:
    body = b'{"order": 7}'
    message = f"{NOW}\nPOST\n/debug/checkout?dry=1\n{hashlib.sha256(body).hexdigest()}"
    expected = hmac.new(SECRET.encode(), message.encode(), hashlib.sha256).hexdigest()

    assert probe.sign(SECRET, "post", "/debug/checkout?dry=1", body, NOW) == {
        "X-Gyrfalcon-Timestamp": str(NOW),
        "X-Gyrfalcon-Signature": f"sha256={expected}",
    }
    assert probe.sign(SECRET.encode(), "POST", "/debug/checkout?dry=1", body, NOW) == probe.sign(
        SECRET, "POST", "/debug/checkout?dry=1", body, NOW
    )


def test_the_token_is_accepted_and_a_wrong_or_missing_one_is_refused() -> None:
    check = Authenticator(token=TOKEN)
    assert check.refusal("GET", "/d", {"authorization": f"Bearer {TOKEN}"}, b"") is None
    assert check.refusal("GET", "/d", {"authorization": f"bearer  {TOKEN} "}, b"") is None
    wrong = check.refusal("GET", "/d", {"authorization": "Bearer nope"}, b"")
    assert wrong == "the bearer token is not valid"
    missing = check.refusal("GET", "/d", {}, b"")
    assert missing == "missing credentials: send Authorization: Bearer <token>"
    basic = check.refusal("GET", "/d", {"authorization": "Basic dXNlcjpwYXNz"}, b"")
    assert basic == missing
    signed = _headers(probe.sign(SECRET, "GET", "/d", b"", NOW))
    assert "signed requests are not accepted here" in (
        check.refusal("GET", "/d", signed, b"") or ""
    )


def test_a_signed_request_is_accepted_within_the_window_and_only_as_signed() -> None:
    clock = [float(NOW)]
    check = Authenticator(hmac_secret=SECRET, clock=lambda: clock[0])
    body = b'{"order": 7}'
    headers = _headers(probe.sign(SECRET, "POST", "/debug/checkout?dry=1", body, NOW))

    assert check.refusal("POST", "/debug/checkout?dry=1", headers, body) is None
    mismatch = "X-Gyrfalcon-Signature does not match this request"
    for method, target, sent in [
        ("POST", "/debug/checkout?dry=1", b'{"order": 8}'),
        ("PUT", "/debug/checkout?dry=1", body),
        ("POST", "/debug/checkout?dry=0", body),
        ("POST", "/debug/checkout", body),
    ]:
        assert (check.refusal(method, target, headers, sent) or "").startswith(mismatch)

    clock[0] = NOW + 300
    assert check.refusal("POST", "/debug/checkout?dry=1", headers, body) is None
    clock[0] = NOW + 301
    late = check.refusal("POST", "/debug/checkout?dry=1", headers, body)
    assert late == (
        "X-Gyrfalcon-Timestamp is 301 s away from this server's clock, more than the 300 s allowed"
    )
    clock[0] = NOW - 301
    assert "away from this server's clock" in (
        check.refusal("POST", "/debug/checkout?dry=1", headers, body) or ""
    )


def test_malformed_signatures_say_what_is_wrong_and_never_the_secret() -> None:
    check = Authenticator(hmac_secret=SECRET, clock=lambda: NOW)
    good = _headers(probe.sign(SECRET, "GET", "/d", b"", NOW))
    signature = good["x-gyrfalcon-signature"]
    cases = {
        "X-Gyrfalcon-Signature is missing": {"x-gyrfalcon-timestamp": str(NOW)},
        "X-Gyrfalcon-Timestamp is missing": {"x-gyrfalcon-signature": signature},
        "X-Gyrfalcon-Timestamp must be whole Unix seconds": {
            **good,
            "x-gyrfalcon-timestamp": "1e9",
        },
        "X-Gyrfalcon-Signature must be sha256=<hex digest>": {
            **good,
            "x-gyrfalcon-signature": signature.removeprefix("sha256="),
        },
    }
    for expected, headers in cases.items():
        refusal = check.refusal("GET", "/d", headers, b"")
        assert refusal == expected
    forged = _headers(probe.sign("another secret", "GET", "/d", b"", NOW))
    refusal = check.refusal("GET", "/d", forged, b"") or ""
    assert refusal.startswith("X-Gyrfalcon-Signature does not match")
    assert SECRET not in refusal and signature not in refusal
    assert "bearer tokens are not accepted here" in (
        check.refusal("GET", "/d", {"authorization": f"Bearer {TOKEN}"}, b"") or ""
    )


def test_with_both_configured_either_is_enough() -> None:
    check = Authenticator(token=TOKEN, hmac_secret=SECRET, clock=lambda: NOW)
    signed = _headers(probe.sign(SECRET, "GET", "/d", b"", NOW))
    assert check.refusal("GET", "/d", {"authorization": f"Bearer {TOKEN}"}, b"") is None
    assert check.refusal("GET", "/d", signed, b"") is None
    assert check.refusal("GET", "/d", {**signed, "authorization": "Bearer wrong"}, b"") is None
    assert check.refusal("GET", "/d", {}, b"") == (
        "missing credentials: send Authorization: Bearer <token> or sign the request with "
        "X-Gyrfalcon-Timestamp and X-Gyrfalcon-Signature"
    )
    assert check.challenge == (
        'Bearer realm="gyrfalcon-probe", Gyrfalcon-Signature realm="gyrfalcon-probe"'
    )


def test_a_probe_without_credentials_must_say_it_means_it() -> None:
    with pytest.raises(ValueError, match="allow_unauthenticated=True"):
        probe.Probe("orders")
    with pytest.raises(ValueError, match="empty"):
        probe.Probe("orders", token="")
    assert probe.Probe("orders", allow_unauthenticated=True).service == "orders"
