"""``/openapi.json``: generated from the routes, then made true where the generator is not.

- pydantic describes a model whose input and output differ (money: a string in, a string out, but a
  Decimal in between) as two components, ``X-Input`` and ``X-Output``, that share the title ``X``;
  client generators name classes by title and drop one, and every model using it (issue 11 item 17).
  Each component's title is made unique.
- FastAPI documents its own 422 body (``HTTPValidationError``) on every route with parameters, even
  where no parameter can fail; ours is the error envelope, documented where a 422 can happen.
- Operation ids are the routes' names (``create_workshop``), so generated clients read well.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute


def unique_titles(schema: dict[str, Any]) -> None:
    components: dict[str, dict[str, Any]] = schema.get("components", {}).get("schemas", {})
    counts = Counter(c.get("title", name) for name, c in components.items())
    for name, component in components.items():
        if counts[component.get("title", name)] > 1:
            component["title"] = name.replace("-", "")


def no_foreign_422(schema: dict[str, Any]) -> None:
    foreign = "#/components/schemas/HTTPValidationError"
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.get("responses", {})
            body = responses.get("422", {}).get("content", {}).get("application/json", {}).get("schema", {})
            if body.get("$ref") == foreign:
                del responses["422"]
    components = schema.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)


def operation_id(route: APIRoute) -> str:
    return route.name


def install(app: FastAPI, *, before: Callable[[], None] = lambda: None) -> None:
    """``before`` runs ahead of the first generation (it includes the routes built on demand)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            before()
            schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            unique_titles(schema)
            no_foreign_422(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
