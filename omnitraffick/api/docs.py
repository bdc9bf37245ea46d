"""The API reference: the OpenAPI document, laid out for people."""

from flask import Blueprint

from ..web import render
from .spec import served

bp = Blueprint("api_docs", __name__, url_prefix="/api")

METHOD_ORDER = ("get", "post", "put", "delete")


def _schema_name(schema: dict | None) -> str | None:
    ref = (schema or {}).get("$ref", "")
    return ref.rsplit("/", 1)[-1] or None


def _type_of(schema: dict) -> str:
    """A short, readable type for a property: string (uuid), integer, one of A | B, ..."""
    if "$ref" in schema:
        return _schema_name(schema)
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"][:8]) + (
            " …" if len(schema["enum"]) > 8 else ""
        )
    kinds = schema.get("type")
    if isinstance(kinds, list):
        kind = " or ".join(kinds)
    elif kinds:
        kind = kinds
    elif "anyOf" in schema or "oneOf" in schema:
        kind = " or ".join(_type_of(s) for s in schema.get("anyOf", schema.get("oneOf", [])))
    else:
        kind = "any"
    if schema.get("format"):
        kind += f" ({schema['format']})"
    return kind


def _fields(schema: dict) -> list[dict]:
    required = set(schema.get("required", ()))
    return [
        {
            "name": name,
            "type": _type_of(prop),
            "required": name in required,
            "description": prop.get("description", ""),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


@bp.get("/")
def reference():
    """Every endpoint with its parameters, body and responses."""
    doc = served().document
    schemas = doc["components"]["schemas"]
    groups: dict[str, list] = {}
    for path, item in doc["paths"].items():
        for method in METHOD_ORDER:
            op = item.get(method)
            if op is None:
                continue
            body = _schema_name(
                op.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema")
            )
            responses = []
            for code, response in op.get("responses", {}).items():
                if "$ref" in response:
                    response = doc["components"]["responses"][_schema_name(response)]
                content = response.get("content", {}).get("application/json", {})
                schema = content.get("schema", {})
                returns = _schema_name(schema) or _schema_name(schema.get("items")) or ""
                if schema.get("type") == "array" and returns:
                    returns = f"array of {returns}"
                responses.append((code, response.get("description", ""), returns))
            groups.setdefault((op.get("tags") or ["API"])[0], []).append(
                {
                    "method": method.upper(),
                    "path": doc["servers"][0]["url"] + path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "type": _type_of(p.get("schema", {})),
                            "description": p.get("description", ""),
                        }
                        for p in op.get("parameters", [])
                        if "$ref" not in p
                    ],
                    "body": body,
                    "responses": responses,
                }
            )
    models = {name: _fields(schema) for name, schema in schemas.items()}
    return render("api/reference.html", doc=doc, groups=groups, models=models)
