"""What a parsing rule is, as data: conditions, extractors, transforms and what to do with the record.

One typed description serves the API (its OpenAPI schema), the stored versions (plain JSON) and the
engine. Checks that need no database live here (a regex compiles, a JSON path parses, a label is not
empty); checks against the CRM's modules and fields live in ``crm.rules``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

__all__ = ["RuleError", "Condition", "Mapping", "RuleDefinition", "Extractor", "Transform", "parse_definition",
           "EXTRACTOR_TYPES", "TRANSFORM_TYPES", "SIGNATURE_FIELDS", "MESSAGE_FIELDS", "ACTIONS", "ON_MANY"]

ACTIONS = ("create", "update", "upsert")
ON_MANY = ("first", "newest", "all", "skip")
# Fields of the parsed signature (nlp.signature) an extractor may read; phones by type.
SIGNATURE_FIELDS = ("name", "given_name", "family_name", "title", "department", "company", "email", "phone",
                    "mobile", "fax", "website", "address", "street", "city", "region", "postal_code", "country")
MESSAGE_FIELDS = ("from_addr", "from_name", "subject", "to", "cc", "date", "body")


class RuleError(ValueError):
    """A rule that cannot be saved or run as written; ``where`` names the part (``mappings[1].pattern``)."""

    def __init__(self, message: str, where: str = "", *, code: str = "bad_rule"):
        super().__init__(f"{where}: {message}" if where else message)
        self.message = f"{where}: {message}" if where else message
        self.where = where
        self.code = code


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- conditions ------------------------------------------------------------------------------------
class Condition(_Strict):
    on: Literal["from", "to", "subject", "header", "body"] = Field(
        description="What is tested: the sender's address and name, any recipient, the subject, one header "
                    "(named in `header`) or the body text")
    header: str | None = Field(default=None, max_length=100, description="The header name when `on` is 'header'")
    op: Literal["contains", "equals", "regex", "not_contains"] = "contains"
    value: str = Field(max_length=2000)
    case_sensitive: bool = False


# --- extractors: where a value comes from ----------------------------------------------------------
class LabelExtractor(_Strict):
    """A `Label: value` line (also `Label：value`, `【Label】value`, `Label | value`, or the label alone on a
    line with the value under it); the first label of the list found wins."""

    type: Literal["label"] = "label"
    labels: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(min_length=1, max_length=20)
    multiline: bool = Field(default=False, description="Read the following lines too, up to a blank line or "
                                                       "the next label")
    source: str = Field(default="body", description="'body', or 'attachment:<file name pattern>'")


class BetweenExtractor(_Strict):
    """The text between two markers; an empty `end` means the end of the start marker's line."""

    type: Literal["between"] = "between"
    start: str = Field(min_length=1, max_length=200)
    end: str = Field(default="", max_length=200)
    source: str = "body"


class RegexExtractor(_Strict):
    """A regular expression with a named group (default `value`), run with a time limit."""

    type: Literal["regex"] = "regex"
    pattern: str = Field(min_length=1, max_length=2000)
    group: str = "value"
    on: Literal["body", "subject", "html"] = "body"
    ignore_case: bool = True


class HtmlTableExtractor(_Strict):
    """A cell of an HTML table: beside the row whose first cell is `label` (by='row'), or under the column
    whose header is `label` (by='column', `row` counting data rows from 1)."""

    type: Literal["html_table"] = "html_table"
    label: str = Field(min_length=1, max_length=200)
    by: Literal["row", "column"] = "row"
    row: int = Field(default=1, ge=1, le=1000)


class JsonExtractor(_Strict):
    """A value at a JSON path (`$.lead.email`, `items[0].name`) in a JSON body, part or attachment."""

    type: Literal["json"] = "json"
    path: str = Field(min_length=1, max_length=300)
    source: str = Field(default="auto", description="'auto' (the body or a JSON part), 'body', or "
                                                    "'attachment:<file name pattern>'")


class CsvExtractor(_Strict):
    """A column of a CSV attachment, in the `row`-th data row (1 = the first under the header)."""

    type: Literal["csv"] = "csv"
    column: str = Field(min_length=1, max_length=200)
    row: int = Field(default=1, ge=1, le=100000)
    attachment: str = Field(default="*.csv", description="File name pattern (fnmatch), e.g. 'leads-*.csv'")


class HeaderExtractor(_Strict):
    type: Literal["header"] = "header"
    name: str = Field(min_length=1, max_length=100)


class SignatureExtractor(_Strict):
    """A field of the sender's signature, as the pipeline's signature stage parsed it."""

    type: Literal["signature"] = "signature"
    field: Literal[SIGNATURE_FIELDS]  # type: ignore[valid-type]


class MessageExtractor(_Strict):
    """A property of the message itself: the sender's address or name, the subject, the date..."""

    type: Literal["message"] = "message"
    field: Literal[MESSAGE_FIELDS]  # type: ignore[valid-type]


Extractor = Annotated[LabelExtractor | BetweenExtractor | RegexExtractor | HtmlTableExtractor | JsonExtractor
                      | CsvExtractor | HeaderExtractor | SignatureExtractor | MessageExtractor,
                      Field(discriminator="type")]
EXTRACTOR_TYPES = ("label", "between", "regex", "html_table", "json", "csv", "header", "signature", "message")


# --- transforms: how a value is cleaned up ----------------------------------------------------------
class TrimTransform(_Strict):
    type: Literal["trim"] = "trim"


class CaseTransform(_Strict):
    type: Literal["case"] = "case"
    to: Literal["lower", "upper", "title"] = "lower"


class SplitNameTransform(_Strict):
    """A full name → its given or family part (Japanese and Chinese names are read family name first)."""

    type: Literal["split_name"] = "split_name"
    part: Literal["first", "last"] = "first"


class PhoneTransform(_Strict):
    """A phone number in E.164 (`+81312345678`); `region` reads national numbers (ISO country code)."""

    type: Literal["phone"] = "phone"
    region: str = Field(default="US", pattern=r"^[A-Z]{2}$")


class DateTransform(_Strict):
    """A date read with a `strftime` format, or by dateparser in the given languages."""

    type: Literal["date"] = "date"
    format: str | None = Field(default=None, max_length=100)
    languages: list[str] = Field(default_factory=lambda: ["en"], max_length=5)
    timezone: str = Field(default="UTC", description="For date-times written without a zone")


class NumberTransform(_Strict):
    """A number or an amount of money: `$1,250.00`, `1.250,00 €`, `¥120,000`, `12k`."""

    type: Literal["number"] = "number"
    decimal: Literal[".", ",", "auto"] = "auto"


class MapTransform(_Strict):
    """Replace a value through a table (matched case-insensitively); `otherwise` for values not in it."""

    type: Literal["map"] = "map"
    table: dict[str, str] = Field(min_length=1)
    otherwise: Literal["keep", "empty", "default"] = "keep"
    default: str | None = None


class DefaultTransform(_Strict):
    """A value to use when nothing was extracted."""

    type: Literal["default"] = "default"
    value: str


class ReplaceTransform(_Strict):
    """Replace what a regex matches (run with a time limit)."""

    type: Literal["replace"] = "replace"
    pattern: str = Field(min_length=1, max_length=500)
    replacement: str = ""


Transform = Annotated[TrimTransform | CaseTransform | SplitNameTransform | PhoneTransform | DateTransform
                      | NumberTransform | MapTransform | DefaultTransform | ReplaceTransform,
                      Field(discriminator="type")]
TRANSFORM_TYPES = ("trim", "case", "split_name", "phone", "date", "number", "map", "default", "replace")


class Mapping(_Strict):
    field: str = Field(min_length=1, max_length=60, description="The target module's field")
    extractor: Extractor
    transforms: list[Transform] = Field(default_factory=list, max_length=10)
    required: bool = Field(default=False, description="Fail the mail when this field finds no value")


class RuleDefinition(_Strict):
    """Everything an admin sets on a rule; stored whole in each version."""

    name: str = Field(min_length=1, max_length=200)
    active: bool = False
    priority: int = Field(default=100, ge=0, le=10000, description="Lower runs first")
    senders: list[Annotated[str, Field(min_length=1, max_length=320)]] = Field(
        default_factory=list, max_length=200,
        description="Approved senders: addresses (`forms@site.test`) or domains (`site.test`, `@site.test`, "
                    "subdomains included); empty = any sender")
    match: Literal["all", "any"] = "all"
    conditions: list[Condition] = Field(default_factory=list, max_length=50)
    module: str = Field(min_length=1, max_length=40, description="leads, contacts, accounts, deals, ... or a "
                                                                 "custom module")
    action: Literal[ACTIONS] = "create"  # type: ignore[valid-type]
    key_field: str | None = Field(default=None, description="The field that finds the record to update")
    on_many: Literal[ON_MANY] = Field(  # type: ignore[valid-type]
        default="first", description="When several records have the key: update the first (oldest), the "
                                     "newest, all of them, or none (the mail is listed as ambiguous)")
    mappings: list[Mapping] = Field(default_factory=list, max_length=100)
    stop: bool = Field(default=False, description="Run no later rule on a mail this one matched")
    record_owner_id: int | None = Field(default=None, description="Owner of created records; default the "
                                                                  "rule's owner")

    @field_validator("senders")
    @classmethod
    def _senders(cls, value: list[str]) -> list[str]:
        out = []
        for sender in value:
            sender = sender.strip().lower()
            if not sender or " " in sender or sender.count("@") > 1 or sender.endswith("@"):
                raise ValueError(f"{sender!r} is not an address or a domain")
            out.append(sender)
        return out


def _where(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in EXTRACTOR_TYPES + TRANSFORM_TYPES and out.endswith(("extractor", "]")):
            continue  # the union's tag adds nothing a reader needs
        else:
            out += ("." if out else "") + str(part)
    return out


def parse_definition(data: dict[str, Any] | RuleDefinition) -> RuleDefinition:
    """A definition from plain data; the first problem as a :class:`RuleError` naming where it is."""
    if isinstance(data, RuleDefinition):
        return data
    try:
        return RuleDefinition.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = _where(tuple(first.get("loc", ())))
        message = str(first.get("msg", "is not valid")).removeprefix("Value error, ")
        if where.startswith("mappings[") and isinstance(data, dict):
            index = int(where[len("mappings["):where.index("]")])
            try:
                field = data["mappings"][index].get("field")
            except (KeyError, IndexError, TypeError, AttributeError):
                field = None
            if field:
                message = f"{message} (mapping of field {field!r})"
        raise RuleError(message, where) from None
