"""Issue 8.9: tokens expire, cannot mint tokens, and admins manage anyone's tokens.

The review's attack: a token minted a never-expiring token that survived revoking the
original, and an admin could neither list nor revoke another user's tokens.
"""

from __future__ import annotations

import httpx
from fastapi import FastAPI

TOKENS = "/api/v1/auth/tokens"


def _bearer(app: FastAPI, token: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://testserver",
        headers={"Authorization": f"Bearer {token}"},
    )


async def test_a_token_cannot_mint_a_token(app: FastAPI, admin: httpx.AsyncClient) -> None:
    created = await admin.post(TOKENS, json={"name": "ci", "expires_in_days": 30})
    assert created.status_code == 201
    async with _bearer(app, created.json()["token"]) as automation:
        assert (await automation.get("/api/v1/auth/me")).status_code == 200
        minted = await automation.post(TOKENS, json={"name": "forever", "expires_in_days": 30})
    assert minted.status_code == 403, minted.text
    assert "cannot create tokens" in minted.json()["detail"]
    assert (await admin.get(TOKENS)).json()["total"] == 1


async def test_every_token_expires_within_the_maximum(admin: httpx.AsyncClient) -> None:
    too_long = await admin.post(TOKENS, json={"name": "long", "expires_in_days": 366})
    assert too_long.status_code == 422
    assert too_long.json()["errors"] == [
        {
            "field": "expires_in_days",
            "message": "at most 365 days (GYRFALCON_TOKEN_MAX_LIFETIME_DAYS): every token expires",
        }
    ]
    never = await admin.post(TOKENS, json={"name": "never", "expires_in_days": None})
    assert never.status_code == 422
    year = await admin.post(TOKENS, json={"name": "year", "expires_in_days": 365})
    assert year.status_code == 201 and year.json()["expires_at"] is not None


async def test_an_admin_lists_and_revokes_another_users_tokens(
    app: FastAPI, admin: httpx.AsyncClient, viewer: httpx.AsyncClient
) -> None:
    viewer_id = (await viewer.get("/api/v1/auth/me")).json()["id"]
    token = (await viewer.post(TOKENS, json={"name": "laptop"})).json()
    listed = await admin.get(f"/api/v1/users/{viewer_id}/tokens")
    assert listed.status_code == 200, listed.text
    assert [t["name"] for t in listed.json()["items"]] == ["laptop"]
    assert "token" not in listed.json()["items"][0]
    # The viewer may read users but is no admin: neither list nor revoke.
    assert (await viewer.get(f"/api/v1/users/{viewer_id}/tokens")).status_code == 403
    revoked = await admin.delete(f"/api/v1/users/{viewer_id}/tokens/{token['id']}")
    assert revoked.status_code == 204
    async with _bearer(app, token["token"]) as laptop:
        assert (await laptop.get("/api/v1/auth/me")).status_code == 401
    history = await admin.get("/api/v1/audit", params={"action": "token.revoke"})
    assert history.json()["total"] == 1
    missing = await admin.delete(f"/api/v1/users/{viewer_id}/tokens/{token['id']}")
    assert missing.status_code == 404
