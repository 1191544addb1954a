"""``/api/v1/schemas``: uploads compiled at run time by the compiler grpcio-tools
carries, versions, message types and fields, compile errors at their lines."""

from __future__ import annotations

import httpx

from tests.conftest import ON_SQLITE_ONLY
from tests.messages.conftest import PROTOS, shop_files, upload_shop

pytestmark = ON_SQLITE_ONLY


async def test_a_multi_file_schema_with_well_known_types_compiles(
    admin: httpx.AsyncClient, service: str
) -> None:
    uploaded = await upload_shop(admin, service)
    schema, version = uploaded["schema"], uploaded["version"]
    assert version["version"] == 1
    assert version["files"] == ["shop/customer.proto", "shop/order.proto"]
    assert schema["message_types"] == [
        "shop.Customer",
        "shop.Money",
        "shop.Line",
        "shop.OrderEvent",
        "shop.OrderEvent.Order",
    ]
    fields = await admin.get(f"/api/v1/schemas/{schema['id']}/message-types/shop.OrderEvent/fields")
    assert fields.status_code == 200, fields.text
    by_path = {field["path"]: field for field in fields.json()}
    assert by_path["kind"]["type"] == "enum shop.OrderEvent.Kind"
    assert by_path["order.lines.sku"] == {
        "path": "order.lines.sku",
        "type": "string",
        "repeated": False,
        "indexable": True,
    }
    assert by_path["order.lines"]["repeated"] is True
    assert by_path["labels.*"]["indexable"] is True
    assert by_path["customer.nickname"]["type"] == "message google.protobuf.StringValue"
    assert by_path["at"]["indexable"] is False
    assert "card_last4" in by_path and "iban" in by_path


async def test_proto2_compiles_and_the_same_name_again_is_the_next_version(
    admin: httpx.AsyncClient, service: str
) -> None:
    legacy = {"legacy.proto": (PROTOS / "legacy.proto").read_text()}
    body = {"service": service, "name": "legacy", "files": legacy}
    first = await admin.post("/api/v1/schemas", json=body)
    assert first.status_code == 201, first.text
    changed = legacy["legacy.proto"].replace("}", "  optional string origin = 3;\n}")
    second = await admin.post("/api/v1/schemas", json={**body, "files": {"legacy.proto": changed}})
    assert second.status_code == 201, second.text
    assert second.json()["version"]["version"] == 2
    schema_id = second.json()["schema"]["id"]
    assert schema_id == first.json()["schema"]["id"]
    versions = (await admin.get(f"/api/v1/schemas/{schema_id}/versions")).json()
    assert [v["version"] for v in versions] == [2, 1]
    old = await admin.get(f"/api/v1/schemas/{schema_id}/files", params={"version": 1})
    assert "origin" not in old.json()["files"]["legacy.proto"]
    listed = (await admin.get("/api/v1/schemas", params={"service": service})).json()
    assert [(s["name"], s["latest_version"], s["versions"]) for s in listed] == [("legacy", 2, 2)]


async def test_compile_errors_come_back_at_their_lines(
    admin: httpx.AsyncClient, service: str
) -> None:
    files = shop_files()
    files["shop/customer.proto"] = files["shop/customer.proto"].replace(
        "string email = 2;", "strin email = 2;"
    )
    response = await admin.post(
        "/api/v1/schemas", json={"service": service, "name": "shop", "files": files}
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["title"] == "Schema does not compile"
    first = problem["errors"][0]
    assert (first["file"], first["line"], first["column"]) == ("shop/customer.proto", 10, 3)
    assert first["message"] == 'shop/customer.proto:10:3: "strin" is not defined.'
    assert "/tmp" not in response.text
    assert (await admin.get("/api/v1/schemas")).json() == []


async def test_an_import_that_is_not_uploaded_is_named(
    admin: httpx.AsyncClient, service: str
) -> None:
    files = {"shop/order.proto": shop_files()["shop/order.proto"]}
    response = await admin.post(
        "/api/v1/schemas", json={"service": service, "name": "shop", "files": files}
    )
    assert response.status_code == 422
    messages = [error["message"] for error in response.json()["errors"]]
    assert any("shop/customer.proto" in message and "not found" in message for message in messages)


async def test_bad_uploads_are_refused_before_compiling(
    admin: httpx.AsyncClient, service: str
) -> None:
    cases = [
        ({}, "files"),
        ({"../etc/passwd.proto": "x"}, "files.../etc/passwd.proto"),
        ({"/abs.proto": "x"}, "files./abs.proto"),
        ({"a.txt": "x"}, "files.a.txt"),
        ({"google/protobuf/any.proto": "x"}, "files.google/protobuf/any.proto"),
        ({"a.proto": 'syntax = "proto3";\x00'}, "files.a.proto"),
    ]
    for files, field in cases:
        response = await admin.post(
            "/api/v1/schemas", json={"service": service, "name": "bad", "files": files}
        )
        assert response.status_code == 422, (files, response.text)
        assert field in [error["field"] for error in response.json()["errors"]], response.text
    no_types = await admin.post(
        "/api/v1/schemas",
        json={"service": service, "name": "empty", "files": {"e.proto": 'syntax = "proto3";'}},
    )
    assert no_types.status_code == 422
    assert "declare no message type" in no_types.text


async def test_an_unknown_message_type_names_the_ones_there_are(
    admin: httpx.AsyncClient, service: str
) -> None:
    schema_id = (await upload_shop(admin, service))["schema"]["id"]
    response = await admin.get(f"/api/v1/schemas/{schema_id}/message-types/shop.Nope/fields")
    assert response.status_code == 422
    assert "no message type 'shop.Nope'" in response.text
    assert "shop.OrderEvent" in response.text


async def test_a_reader_sees_schemas_but_cannot_upload(
    admin: httpx.AsyncClient, viewer: httpx.AsyncClient, service: str
) -> None:
    await upload_shop(admin, service)
    assert len((await viewer.get("/api/v1/schemas")).json()) == 1
    response = await viewer.post(
        "/api/v1/schemas", json={"service": service, "name": "x", "files": shop_files()}
    )
    assert response.status_code == 403


async def test_the_upload_is_audited(admin: httpx.AsyncClient, service: str) -> None:
    await upload_shop(admin, service)
    records = (await admin.get("/api/v1/audit", params={"action": "schema.upload"})).json()
    assert records["items"][0]["object_name"] == f"{service}/shop"
    detail = (await admin.get(f"/api/v1/audit/{records['items'][0]['id']}")).json()
    assert detail["after"]["version"] == 1
