"""Key search on the machine's Redis through the API: SCAN pages with their cursor,
the exact-key fast path, type filters, the per-key details (TTL and expiry from the
server's clock, memory, encoding, length), binary key names, bounded scans, and the
instances that do not answer.

The platform database only holds the catalog's row here, so these run on SQLite only.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import redis

from tests.cache.conftest import DB, Instance, Tune, add_instance

pytestmark = pytest.mark.parametrize("platform_database", ["sqlite"], indirect=True)


def b64(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).rstrip(b"=").decode()


async def _all_pages(client: httpx.AsyncClient, base: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        page = (await client.get(f"{base}/keys", params=query)).json()
        items.extend(page["items"])
        cursor = page["cursor"]
        if page["complete"]:
            assert cursor is None
            return items


async def test_a_pattern_pages_through_every_matching_key_once(
    admin: httpx.AsyncClient, instance: Instance, plain: redis.Redis
) -> None:
    for number in range(250):
        plain.set(instance.key(f"order:{number}"), "x" * number)
    for number in range(40):
        plain.set(instance.key(f"user:{number}"), "u")
    first = (
        await admin.get(f"{instance.base}/keys", params={"pattern": "order:*", "limit": 50})
    ).json()
    assert len(first["items"]) >= 50 and first["cursor"] and first["stopped"] == "limit"
    assert first["pattern"] == instance.key("order:*")
    found = await _all_pages(admin, instance.base, pattern="order:*", limit=50)
    names = [item["key"] for item in found]
    assert sorted(names) == sorted(instance.key(f"order:{n}") for n in range(250))
    sample = next(item for item in found if item["key"] == instance.key("order:7"))
    assert sample["type"] == "string" and sample["length"] == 7
    assert sample["ttl_ms"] is None and sample["expires_at"] is None
    assert sample["size"] > 7 and sample["size_source"] == "memory"
    assert sample["encoding"] in {"embstr", "raw", "int"}
    assert sample["key_b64"] == b64(instance.key("order:7").encode())


async def test_a_key_without_glob_is_looked_up_directly(
    admin: httpx.AsyncClient, instance: Instance, plain: redis.Redis
) -> None:
    plain.hset(instance.key("cart:42"), mapping={"sku-1": 2, "sku-2": 1})
    plain.pexpire(instance.key("cart:42"), 90_000)
    page = (await admin.get(f"{instance.base}/keys", params={"pattern": "cart:42"})).json()
    assert page["exact"] is True and page["complete"] is True and page["examined"] == 1
    (item,) = page["items"]
    assert (item["type"], item["length"]) == ("hash", 2)
    assert 0 < item["ttl_ms"] <= 90_000
    # The expiry is the server's clock plus the TTL, read in the same round trip.
    assert item["expires_at"] == page["server_time"] + item["ttl_ms"]
    missing = (await admin.get(f"{instance.base}/keys", params={"pattern": "cart:43"})).json()
    assert missing["items"] == [] and missing["complete"] is True


async def test_a_type_filter_and_every_type_with_its_length(
    admin: httpx.AsyncClient, instance: Instance, plain: redis.Redis
) -> None:
    plain.set(instance.key("s"), "hello")
    plain.hset(instance.key("h"), mapping={"a": 1, "b": 2, "c": 3})
    plain.rpush(instance.key("l"), 1, 2, 3, 4)
    plain.sadd(instance.key("set"), "a", "b")
    plain.zadd(instance.key("z"), {"a": 1.5})
    plain.xadd(instance.key("x"), {"f": "v"})
    items = {i["key"]: i for i in await _all_pages(admin, instance.base, pattern="*")}
    lengths = {
        key.removeprefix(instance.prefix): (i["type"], i["length"]) for key, i in items.items()
    }
    assert lengths == {
        "s": ("string", 5),
        "h": ("hash", 3),
        "l": ("list", 4),
        "set": ("set", 2),
        "z": ("zset", 1),
        "x": ("stream", 1),
    }
    hashes = await _all_pages(admin, instance.base, pattern="*", type="hash")
    assert [i["key"] for i in hashes] == [instance.key("h")]
    wrong = await admin.get(f"{instance.base}/keys", params={"type": "bitmap"})
    assert wrong.status_code == 422


async def test_binary_key_names_are_shown_escaped_and_usable(
    admin: httpx.AsyncClient, instance: Instance, plain: redis.Redis
) -> None:
    raw = instance.key("bin:").encode() + b"\xff\x00\x01end"
    plain.set(raw, b"\x00\x01\x02")
    (item,) = (await admin.get(f"{instance.base}/keys", params={"pattern": "bin:*"})).json()[
        "items"
    ]
    assert item["binary"] is True
    assert item["key"] == instance.key("bin:") + "\\xff\\x00\\x01end"
    assert item["key_b64"] == b64(raw)
    one = await admin.get(f"{instance.base}/keys/{item['key_b64']}")
    assert one.status_code == 200 and one.json()["type"] == "string"
    for bad in ("not base64!", "YQ=", "", "A"):
        response = await admin.get(
            f"{instance.base}/keys/{bad}" if bad else f"{instance.base}/keys/%20"
        )
        assert response.status_code in (404, 422), (bad, response.text)


async def test_a_scan_is_bounded_and_says_how_far_it_got(
    admin: httpx.AsyncClient,
    instance: Instance,
    plain: redis.Redis,
    tune: Tune,
) -> None:
    with plain.pipeline(transaction=False) as pipe:
        for number in range(5000):
            pipe.set(instance.key(f"noise:{number}"), 1)
        pipe.execute()
    plain.set(instance.key("needle"), 1)
    tune(cache_scan_budget_keys=1000, cache_scan_count_max=100)
    first = (await admin.get(f"{instance.base}/keys", params={"pattern": "need*"})).json()
    assert first["complete"] is False and first["stopped"] == "keys"
    assert first["examined"] >= 1000 and first["cursor"]
    found = await _all_pages(admin, instance.base, pattern="need*")
    assert [i["key"] for i in found] == [instance.key("needle")]


async def test_a_cursor_of_another_search_is_refused(
    admin: httpx.AsyncClient, instance: Instance, plain: redis.Redis
) -> None:
    for number in range(300):
        plain.set(instance.key(f"a:{number}"), 1)
    page = (await admin.get(f"{instance.base}/keys", params={"pattern": "a:*", "limit": 10})).json()
    other = await admin.get(
        f"{instance.base}/keys", params={"pattern": "b:*", "cursor": page["cursor"]}
    )
    assert other.status_code == 422
    assert "another pattern" in other.json()["errors"][0]["message"]
    garbage = await admin.get(f"{instance.base}/keys", params={"pattern": "a:*", "cursor": "zz"})
    assert garbage.status_code == 422


async def test_an_instance_that_does_not_answer_is_a_clear_502(
    admin: httpx.AsyncClient,
    service: str,
    refused_port: int,
    silent_port: int,
    tune: Tune,
) -> None:
    tune(cache_timeout_seconds=0.5)
    down = await add_instance(admin, {"name": "down", "url": f"redis://127.0.0.1:{refused_port}/0"})
    response = await admin.get(f"{down.base}/keys")
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "refused" in response.json()["detail"]
    hung = await add_instance(admin, {"name": "hung", "url": f"redis://127.0.0.1:{silent_port}/0"})
    response = await admin.get(f"{hung.base}/keys")
    assert response.status_code == 502
    assert "did not answer" in response.json()["detail"] or "timed out" in response.json()["detail"]


async def test_a_wrong_password_is_said_and_not_shown(
    admin: httpx.AsyncClient, service: str
) -> None:
    instance = await add_instance(
        admin, {"name": "locked", "url": f"redis://nobody:Secret-pw-77@127.0.0.1:6379/{DB}"}
    )
    response = await admin.get(f"{instance.base}/keys")
    assert response.status_code == 502
    assert "authentication failed for user 'nobody'" in response.json()["detail"]
    assert "Secret-pw-77" not in response.text


@pytest.fixture
def without_memory_command(plain: redis.Redis) -> Iterator[tuple[str, str]]:
    """An ACL user that may do everything but MEMORY, as some managed Redis offers."""
    username, password = f"gyr_cache_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    plain.acl_setuser(
        username,
        enabled=True,
        passwords=[f"+{password}"],
        keys=["*"],
        commands=["+@all", "-memory"],
    )
    yield username, password
    plain.acl_deluser(username)


async def test_sizes_fall_back_to_lengths_where_memory_usage_is_refused(
    admin: httpx.AsyncClient,
    service: str,
    prefix: str,
    plain: redis.Redis,
    without_memory_command: tuple[str, str],
) -> None:
    username, password = without_memory_command
    instance = await add_instance(
        admin,
        {"name": "limited", "url": f"redis://{username}:{password}@127.0.0.1:6379/{DB}"},
        prefix=prefix,
    )
    plain.set(instance.key("text"), "x" * 300)
    plain.rpush(instance.key("list"), 1, 2, 3)
    items = {i["key"]: i for i in await _all_pages(admin, instance.base, pattern="*")}
    text, listed = items[instance.key("text")], items[instance.key("list")]
    assert (text["size"], text["size_source"], text["length"]) == (300, "length", 300)
    assert (listed["size"], listed["size_source"]) == (3, "length")
