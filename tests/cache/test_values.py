"""The value viewer on the machine's Redis: every type a page at a time with its
cursor, strings as text, JSON or bytes, long strings in chunks that keep UTF-8
characters whole, elements cut at their cap, and a download that streams a large
string without reading it whole.

The platform database only holds the catalog's row here, so these run on SQLite only.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest
import redis

from gyrfalcon.messages.protos import compiler, descriptors
from tests.cache.conftest import Instance, Tune
from tests.messages.conftest import shop_files, upload_shop

pytestmark = pytest.mark.parametrize("platform_database", ["sqlite"], indirect=True)


def b64(key: str | bytes) -> str:
    raw = key.encode() if isinstance(key, str) else key
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


async def _value(
    client: httpx.AsyncClient, instance: Instance, name: str, **params: Any
) -> dict[str, Any]:
    response = await client.get(
        f"{instance.base}/keys/{b64(instance.key(name))}/value", params=params
    )
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


async def _every_page(
    client: httpx.AsyncClient, instance: Instance, name: str, **params: Any
) -> list[dict[str, Any]]:
    elements: list[dict[str, Any]] = []
    after = None
    for _page in range(1000):
        page = await _value(client, instance, name, **params, **({"after": after} if after else {}))
        elements.extend(page["elements"])
        after = page["next"]
        if after is None:
            return elements
    raise AssertionError("the pages never ended")


def _text(blob: dict[str, Any]) -> str:
    text: str = blob["text"]
    return text


async def test_strings_as_text_json_and_bytes(
    admin: httpx.AsyncClient, instance: Instance, plain: redis.Redis
) -> None:
    plain.set(instance.key("text"), "héllo")
    plain.set(instance.key("json"), json.dumps({"order": {"id": 7, "items": [1, 2]}}))
    plain.set(instance.key("bytes"), b"\x00\xff\x10")
    text = await _value(admin, instance, "text")
    assert (text["type"], text["length"], text["chunk"]["text"]) == ("string", 6, "héllo")
    assert text["is_json"] is False and text["next"] is None
    document = await _value(admin, instance, "json")
    assert document["is_json"] is True
    assert document["json_value"] == {"order": {"id": 7, "items": [1, 2]}}
    binary = await _value(admin, instance, "bytes")
    assert binary["chunk"]["text"] is None
    assert base64.b64decode(binary["chunk"]["base64"]) == b"\x00\xff\x10"


async def test_a_long_string_comes_in_chunks_that_keep_characters_whole(
    admin: httpx.AsyncClient,
    instance: Instance,
    plain: redis.Redis,
    tune: Tune,
) -> None:
    tune(cache_value_page_bytes=1024)
    value = "a" + "€" * 2000  # 1 + 6000 bytes: a chunk of 1024 bytes splits a euro sign
    plain.set(instance.key("long"), value)
    pieces = []
    after = None
    while True:
        page = await _value(admin, instance, "long", **({"after": after} if after else {}))
        assert page["chunk"]["text"] is not None, "every chunk reads as text"
        assert len(page["chunk"]["text"].encode()) <= 1024
        pieces.append(page["chunk"]["text"])
        after = page["next"]
        if after is None:
            break
    assert "".join(pieces) == value
    assert page["is_json"] is False


async def test_a_large_value_downloads_whole_as_a_stream(
    admin: httpx.AsyncClient, instance: Instance, plain: redis.Redis
) -> None:
    data = bytes(range(256)) * 4096 * 3  # 3 MiB, many chunks of the default page size
    plain.set(instance.key("blob"), data)
    async with admin.stream(
        "GET", f"{instance.base}/keys/{b64(instance.key('blob'))}/download"
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/octet-stream"
        assert "attachment" in response.headers["content-disposition"]
        received = b"".join([chunk async for chunk in response.aiter_bytes()])
    assert received == data
    plain.rpush(instance.key("list"), 1)
    refused = await admin.get(f"{instance.base}/keys/{b64(instance.key('list'))}/download")
    assert refused.status_code == 409


async def test_a_hash_pages_through_every_field(
    admin: httpx.AsyncClient, instance: Instance, plain: redis.Redis
) -> None:
    # More fields than a listpack holds (512 at most here), which HSCAN returns at once.
    fields = {f"field-{n}": f"value-{n}" for n in range(1500)}
    plain.hset(instance.key("h"), mapping=fields)
    first = await _value(admin, instance, "h")
    assert first["length"] == 1500 and first["next"] is not None
    elements = await _every_page(admin, instance, "h")
    seen = {_text(e["field"]): _text(e["value"]) for e in elements}
    assert seen == fields


async def test_a_list_a_set_and_a_sorted_set_page_by_page(
    admin: httpx.AsyncClient, instance: Instance, plain: redis.Redis
) -> None:
    plain.rpush(instance.key("l"), *[f"item-{n}" for n in range(230)])
    items = await _every_page(admin, instance, "l")
    assert [(e["index"], _text(e["value"])) for e in items] == [
        (n, f"item-{n}") for n in range(230)
    ]
    plain.sadd(instance.key("s"), *[f"m-{n}" for n in range(170)])
    members = await _every_page(admin, instance, "s")
    assert sorted(_text(e["value"]) for e in members) == sorted(f"m-{n}" for n in range(170))
    plain.zadd(instance.key("z"), {f"p-{n}": n / 2 for n in range(150)})
    top = await _value(admin, instance, "z", order="desc")
    assert (top["elements"][0]["score"], _text(top["elements"][0]["value"])) == (74.5, "p-149")
    ranked = await _every_page(admin, instance, "z")
    assert [e["score"] for e in ranked] == [n / 2 for n in range(150)]


async def test_a_stream_newest_first_page_by_page(
    admin: httpx.AsyncClient, instance: Instance, plain: redis.Redis
) -> None:
    ids = [plain.xadd(instance.key("x"), {"order": str(n), "state": "paid"}) for n in range(205)]
    entries = await _every_page(admin, instance, "x")
    assert [e["id"] for e in entries] == [i.decode() for i in reversed(ids)]
    newest = entries[0]["fields"]
    assert {_text(f["field"]): _text(f["value"]) for f in newest} == {
        "order": "204",
        "state": "paid",
    }
    bad = await admin.get(
        f"{instance.base}/keys/{b64(instance.key('x'))}/value", params={"after": "nope"}
    )
    assert bad.status_code == 422


async def test_an_element_longer_than_its_cap_is_cut_and_says_so(
    admin: httpx.AsyncClient,
    instance: Instance,
    plain: redis.Redis,
    tune: Tune,
) -> None:
    tune(cache_element_bytes=100)
    plain.hset(instance.key("h"), "big", "é" * 500)
    (element,) = (await _value(admin, instance, "h"))["elements"]
    assert element["value"]["truncated"] is True and element["value"]["length"] == 1000
    assert element["value"]["text"] == "é" * 50


async def test_a_key_that_is_gone_is_a_404(admin: httpx.AsyncClient, instance: Instance) -> None:
    response = await admin.get(f"{instance.base}/keys/{b64(instance.key('gone'))}/value")
    assert response.status_code == 404
    assert "does not exist" in response.json()["detail"]


async def test_a_cached_protobuf_message_decodes_with_an_uploaded_schema(
    admin: httpx.AsyncClient, viewer: httpx.AsyncClient, instance: Instance, plain: redis.Redis
) -> None:
    schema = await upload_shop(admin, "shop")
    compiled = (await compiler.compile_files(shop_files(), timeout=30)).descriptor_set
    event = descriptors.message_class(compiled, "shop.OrderEvent")(kind=2, card_last4="4242")
    event.order.id = "ORD-77"
    plain.set(instance.key("order:77"), event.SerializeToString())
    params = {"schema": schema["schema"]["id"], "message_type": "shop.OrderEvent"}
    page = await _value(admin, instance, "order:77", **params)
    assert page["decode_error"] is None
    assert page["decoded"]["order"]["id"] == "ORD-77" and page["decoded"]["kind"] == "PAID"
    assert page["decoded_as"] == "shop.OrderEvent (schema version 1)"
    plain.set(instance.key("junk"), b"\xff\xff\xff")
    junk = await _value(admin, instance, "junk", **params)
    assert junk["decoded"] is None and "not a shop.OrderEvent" in junk["decode_error"]
    url = f"{instance.base}/keys/{b64(instance.key('order:77'))}/value"
    unknown = await admin.get(url, params={**params, "message_type": "shop.Nope"})
    assert unknown.status_code == 422 and "OrderEvent" in unknown.text
    plain.rpush(instance.key("list"), b"x")
    listed = await admin.get(
        f"{instance.base}/keys/{b64(instance.key('list'))}/value", params=params
    )
    assert listed.status_code == 422
    # The viewer reads the cache and the messages of every service, so it decodes too;
    # a schema outside a user's messages scope is a 404 (proto_schemas.get_version).
    assert (await viewer.get(url, params=params)).status_code == 200
