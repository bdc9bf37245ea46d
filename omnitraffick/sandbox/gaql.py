"""A small Google Ads Query Language engine over the sandbox's stored Google objects.

The subset of https://developers.google.com/google-ads/api/docs/query/grammar it reads:

    SELECT field (, field)* FROM resource [WHERE condition (AND condition)*] [LIMIT n]
    condition: field (= | !=) value  |  field [NOT] IN (value (, value)*)
    value:     'string' | "string" | number | ENUM_CONSTANT

Rows come back as the REST API sends them: resources and fields in lowerCamelCase, int64
values as strings, `resourceName` always present, and no `results` key when nothing matches.
"""

import re
from dataclasses import dataclass

# Fields each resource exposes, and which other resource a row of it can also show
# (GAQL's "attributed resources"): a campaign row can select its budget's fields, a
# campaign criterion row its campaign's.
FIELDS = {
    "campaign": (
        "resource_name",
        "id",
        "name",
        "status",
        "campaign_budget",
        "advertising_channel_type",
        "bidding_strategy_type",
        "contains_eu_political_advertising",
        "start_date_time",
        "end_date_time",
    ),
    "campaign_budget": (
        "resource_name",
        "id",
        "name",
        "amount_micros",
        "total_amount_micros",
        "period",
        "delivery_method",
        "explicitly_shared",
    ),
    "campaign_criterion": (
        "resource_name",
        "campaign",
        "criterion_id",
        "type",
        "negative",
        "location.geo_target_constant",
        "language.language_constant",
    ),
    "ad_group": ("resource_name", "id", "name", "campaign", "status", "type"),
    "asset": ("resource_name", "id", "name", "type"),
    "ad_group_ad": ("resource_name", "ad_group", "status", "ad.id"),
}
# Stored kind of each resource, as in the store.
KINDS = {
    "campaign": "campaigns",
    "campaign_budget": "campaign_budgets",
    "campaign_criterion": "campaign_criteria",
    "ad_group": "ad_groups",
    "asset": "assets",
    "ad_group_ad": "ad_group_ads",
}
# (row resource, attributed resource) -> the field of the row object naming the other.
LINKS = {
    ("campaign", "campaign_budget"): "campaignBudget",
    ("campaign_criterion", "campaign"): "campaign",
}

TOKEN = re.compile(
    r"""
    (?P<string>'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*")
    |(?P<number>-?\d+(?:\.\d+)?)
    |(?P<word>[A-Za-z_][A-Za-z0-9_.]*)
    |(?P<symbol>!=|=|\(|\)|,)
    """,
    re.VERBOSE,
)


class QueryError(Exception):
    """A query the engine cannot run; `code` is a QueryErrorEnum value."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Token:
    kind: str  # string, number, word or symbol
    text: str

    def is_word(self, word: str) -> bool:
        return self.kind == "word" and self.text.upper() == word


@dataclass
class Condition:
    field: str
    operator: str  # =, !=, IN or NOT IN
    values: list[str]


@dataclass
class Query:
    resource: str
    fields: list[str]
    conditions: list[Condition]
    limit: int | None


def camel(snake: str) -> str:
    """lower_snake_case to lowerCamelCase, dot by dot."""
    return ".".join(
        head + "".join(word.title() for word in rest)
        for head, *rest in (part.split("_") for part in snake.split("."))
    )


def tokenize(text: str) -> list[Token]:
    tokens = []
    position = 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        match = TOKEN.match(text, position)
        if match is None:
            if text[position] in "'\"":
                raise QueryError("STRING_NOT_TERMINATED", "Error in query: unterminated string.")
            raise QueryError(
                "UNEXPECTED_INPUT", f"Error in query: unexpected input {text[position:][:20]!r}."
            )
        kind = match.lastgroup
        value = match.group()
        if kind == "string":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        tokens.append(Token(kind, value))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.position = 0

    def peek(self) -> Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise QueryError("UNEXPECTED_END_OF_QUERY", "Error in query: unexpected end of query.")
        self.position += 1
        return token

    def accept(self, kind: str, text: str) -> bool:
        """Consume the next token if it is this keyword or symbol."""
        token = self.peek()
        if token is not None and (token.is_word(text) if kind == "word" else token.text == text):
            self.position += 1
            return True
        return False

    def expect_word(self, word: str, code: str) -> None:
        if not self.accept("word", word):
            raise QueryError(code, f"Error in query: expected {word}.")

    def field(self) -> str:
        token = self.take()
        if token.kind != "word" or "." not in token.text:
            raise QueryError(
                "BAD_FIELD_NAME", f"Error in query: {token.text!r} is not a field name."
            )
        return token.text

    def value(self) -> str:
        token = self.take()
        if token.kind == "number":
            return str(int(token.text)) if token.text.lstrip("-").isdigit() else token.text
        if token.kind == "word" and token.text.upper() in ("TRUE", "FALSE"):
            return token.text.lower()
        if token.kind in ("string", "word"):
            return token.text
        raise QueryError("BAD_VALUE", f"Error in query: expected a value, found {token.text!r}.")

    def condition(self) -> Condition:
        field = self.field()
        if self.accept("symbol", "="):
            return Condition(field, "=", [self.value()])
        if self.accept("symbol", "!="):
            return Condition(field, "!=", [self.value()])
        operator = "NOT IN" if self.accept("word", "NOT") else "IN"
        if not self.accept("word", "IN"):
            raise QueryError(
                "BAD_OPERATOR", "Error in query: the sandbox supports =, !=, IN and NOT IN."
            )
        if not self.accept("symbol", "("):
            raise QueryError("EXPECTED_LIST", f"Error in query: {operator} needs a (list).")
        values = [self.value()]
        while self.accept("symbol", ","):
            values.append(self.value())
        if not self.accept("symbol", ")"):
            raise QueryError("EXPECTED_LIST", "Error in query: the list is not closed with ')'.")
        return Condition(field, operator, values)


def parse(text: str) -> Query:
    """Read a query; raise QueryError if it is outside the supported subset."""
    parser = _Parser(tokenize(text))
    parser.expect_word("SELECT", "EXPECTED_SELECT")
    fields = [parser.field()]
    while parser.accept("symbol", ","):
        fields.append(parser.field())
    parser.expect_word("FROM", "EXPECTED_FROM")
    resource = parser.take().text
    if resource not in FIELDS:
        raise QueryError(
            "BAD_RESOURCE_TYPE_IN_FROM_CLAUSE",
            f"Error in query: the sandbox can query FROM {', '.join(FIELDS)}, not {resource!r}.",
        )
    conditions = []
    if parser.accept("word", "WHERE"):
        conditions.append(parser.condition())
        while parser.accept("word", "AND"):
            conditions.append(parser.condition())
    limit = None
    if parser.accept("word", "LIMIT"):
        token = parser.take()
        if token.kind != "number" or not token.text.isdigit() or int(token.text) < 1:
            raise QueryError("BAD_LIMIT_VALUE", "Error in query: LIMIT needs a positive integer.")
        limit = int(token.text)
    extra = parser.peek()
    if extra is not None:
        raise QueryError(
            "UNEXPECTED_INPUT",
            f"Error in query: unexpected input {extra.text!r}. The sandbox reads "
            "SELECT ... FROM ... [WHERE ... [AND ...]] [LIMIT n].",
        )
    query = Query(resource, fields, conditions, limit)
    for field in fields:
        _check_field(query, field, "SELECT")
    for condition in conditions:
        _check_field(query, condition.field, "WHERE")
    return query


def _check_field(query: Query, field: str, clause: str) -> None:
    resource, _, name = field.partition(".")
    if resource not in FIELDS or name not in FIELDS[resource]:
        raise QueryError("UNRECOGNIZED_FIELD", f"Unrecognized field in the query: '{field}'.")
    if resource != query.resource and (query.resource, resource) not in LINKS:
        raise QueryError(
            f"PROHIBITED_RESOURCE_TYPE_IN_{clause}_CLAUSE",
            f"The following field may not be used in {clause} clause: '{field}'.",
        )


def run(query: Query, objects: dict[str, dict[str, dict]]) -> dict:
    """Answer a parsed query over stored objects (kind -> resource name -> object)."""
    rows = []
    for obj in objects[KINDS[query.resource]].values():
        context = {query.resource: obj}
        for (source, target), link in LINKS.items():
            if source == query.resource:
                context[target] = objects[KINDS[target]].get(obj.get(link))
        if all(_matches(context, condition) for condition in query.conditions):
            rows.append(_row(context, query.fields))
    if query.limit is not None:
        rows = rows[: query.limit]
    response: dict = {"results": rows} if rows else {}
    response["fieldMask"] = ",".join(camel(field) for field in query.fields)
    return response


def _value(context: dict, field: str):
    resource, _, name = field.partition(".")
    value = context.get(resource)
    for key in camel(name).split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _matches(context: dict, condition: Condition) -> bool:
    value = _value(context, condition.field)
    if isinstance(value, bool):
        value = "true" if value else "false"
    found = value is not None and str(value) in condition.values
    return found if condition.operator in ("=", "IN") else not found


def _row(context: dict, fields: list[str]) -> dict:
    row: dict = {}
    for field in fields:
        resource, _, name = field.partition(".")
        obj = context.get(resource)
        if obj is None:
            continue
        target = row.setdefault(camel(resource), {"resourceName": obj["resourceName"]})
        value = _value(context, field)
        if value is None:
            continue
        *parents, leaf = camel(name).split(".")
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = value
    return row
