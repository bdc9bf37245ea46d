"""Read names back: which convention version a name follows, its parts, and what is wrong.

Pure: the conventions and the codes they may use come in as plain data. One `Decoder` per
level compiles each version into a regular expression once, so hundreds of names are read
in milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .conventions import (
    CASINGS,
    DATE_KINDS,
    Convention,
    Segment,
    Vocabulary,
    apply_casing,
    check_length,
)
from .transliteration import transliterate

_DATE_PATTERNS = {"year": r"\d{4}", "quarter": r"Q[1-4]", "month": r"0[1-9]|1[0-2]"}
_DATE_WORDS = {
    "year": "a four-digit year such as 2026",
    "quarter": "a quarter Q1 to Q4",
    "month": "a month 01 to 12",
}


@dataclass(frozen=True)
class Result:
    """What one name came to."""

    name: str
    valid: bool
    version: int | None
    parts: dict[str, str]
    problems: list[str]
    suggestion: str | None

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "valid": self.valid,
            "version": self.version,
            "parts": self.parts,
            "problems": self.problems,
            "suggestion": self.suggestion,
        }


def _segment_pattern(segment: Segment, level: str, vocabulary: Vocabulary) -> str:
    if segment.kind in DATE_KINDS:
        return _DATE_PATTERNS[segment.kind]
    if segment.kind == "text":
        n = segment.max_length
        if segment.casing == "pascal":
            return rf"[A-Z0-9][A-Za-z0-9]{{0,{n - 1}}}"
        chars = {"lower": "a-z0-9", "upper": "A-Z0-9"}.get(segment.casing, "A-Za-z0-9")
        return rf"[{chars}]{{1,{n}}}"
    codes = sorted(vocabulary.codes(segment, level), key=lambda c: (-len(c), c))
    return "|".join(re.escape(c) for c in codes) or "(?!)"


def _key(segment: Segment) -> str:
    return segment.list if segment.kind == "list" else segment.kind


class _Version:
    """One convention version compiled: the whole name, and each prefix for diagnosis."""

    def __init__(self, convention: Convention, vocabulary: Vocabulary):
        self.convention = convention
        sep = re.escape(convention.separator)
        groups = [
            f"(?P<s{i}>{_segment_pattern(s, convention.level, vocabulary)})"
            for i, s in enumerate(convention.segments)
        ]
        self.whole = re.compile(sep.join(groups))
        self.prefixes = [
            re.compile(sep.join(groups[: i + 1]) + f"(?={sep}|$)") for i in range(len(groups))
        ]

    def parts(self, name: str) -> dict[str, str] | None:
        match = self.whole.fullmatch(name)
        if match is None:
            return None
        return {_key(s): match[f"s{i}"] for i, s in enumerate(self.convention.segments)}


class Decoder:
    """Validate and decode names of one level against all its versions, newest first."""

    def __init__(self, versions: Sequence[Convention], vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self.versions = [
            _Version(c, vocabulary) for c in sorted(versions, key=lambda c: -c.version)
        ]
        self.current = self.versions[0]
        self.level = self.current.convention.level

    def matches(self, name: str, version: _Version | None = None) -> bool:
        """Whether `name` follows one version (the current one by default), cheaply."""
        target = version or self.current
        parts = target.parts(name)
        return parts is not None and not self._dependency_problems(target.convention, parts)

    def decode(self, name: str) -> Result:
        """Everything the decoder page and the API show about one name."""
        name = name.strip()
        for version in self.versions:
            parts = version.parts(name)
            if parts is None:
                continue
            problems = self._dependency_problems(version.convention, parts)
            channel = parts.get("channel")
            too_long = (
                check_length(name, channel, self.vocabulary.name_limits, self.level)
                if channel
                else None
            )
            problems += [too_long] if too_long else []
            if not problems:
                return Result(name, True, version.convention.version, parts, [], None)
        problems = self.diagnose(name)
        return Result(name, False, None, self._partial(name), problems, self.suggest(name))

    # --- why a name fails -------------------------------------------------------------------

    def diagnose(self, name: str) -> list[str]:
        """The first segment of the current version that fails, and why."""
        if not name:
            return ["The name is empty."]
        current = self.current
        convention = current.convention
        sep = convention.separator
        end = 0
        for i, segment in enumerate(convention.segments):
            match = current.prefixes[i].match(name)
            if match is None:
                rest = name[end + (len(sep) if i else 0) :] if end or not i else ""
                if i and end >= len(name):
                    label = segment.short_label(self.vocabulary.lists)
                    return [f"Part {i + 1} ({label}) is missing: the name ends before it."]
                token = rest.split(sep, 1)[0] if i else name.split(sep, 1)[0]
                return [f"Part {i + 1}: {self._why(segment, token)}"]
            end = match.end()
        parts = current.parts(name)
        if parts is None:
            extra = name[end:]
            return [
                f"Unexpected {extra!r} after the last part: the convention has "
                f"{len(convention.segments)} parts ({convention.pattern()})."
            ]
        problems = self._dependency_problems(convention, parts)
        channel = parts.get("channel")
        too_long = (
            check_length(name, channel, self.vocabulary.name_limits, self.level)
            if channel
            else None
        )
        return problems + ([too_long] if too_long else [])

    def _why(self, segment: Segment, token: str) -> str:
        label = segment.short_label(self.vocabulary.lists)
        if segment.kind in DATE_KINDS:
            return f"{token!r} is not {_DATE_WORDS[segment.kind]}."
        if segment.kind == "text":
            if not token:
                return "the free text is missing."
            bad = sorted({c for c in token if not (c.isascii() and c.isalnum())})
            if bad:
                shown = " ".join("space" if c == " " else c for c in bad)
                return f"the free text {token!r} holds characters a name cannot: {shown}."
            if len(token) > segment.max_length:
                return f"the free text is {len(token)} characters, at most {segment.max_length}."
            return f"the free text {token!r} is not {CASINGS[segment.casing]}."
        codes = self.vocabulary.codes(segment, self.level)
        if token.upper() in codes:
            return f"{token!r} must be upper case: {token.upper()}."
        return (
            f"{token!r} is not a known {label.lower()} code." if token else f"{label} is missing."
        )

    def _dependency_problems(self, convention: Convention, parts: dict[str, str]) -> list[str]:
        problems = []
        for segment in convention.segments:
            if segment.kind != "list":
                continue
            known = self.vocabulary.lists.get(segment.list)
            if known is None or not known.depends_on:
                continue
            value = next(v for v in known.values if v.code == parts[segment.list])
            parent = parts.get(known.depends_on)
            if value.parent and parent is not None and value.parent != parent:
                problems.append(
                    f"{value.code} ({known.label}) belongs to {value.parent}, not {parent}."
                )
        return problems

    def _partial(self, name: str) -> dict[str, str]:
        """The parts of the current version that could be read, left to right."""
        parts: dict[str, str] = {}
        convention = self.current.convention
        for i, segment in enumerate(convention.segments):
            match = self.current.prefixes[i].match(name)
            if match is None:
                break
            parts[_key(segment)] = match[f"s{i}"]
        return parts

    # --- a compliant name -------------------------------------------------------------------

    def suggest(self, name: str) -> str | None:
        """A name close to `name` that follows the current version, or None."""
        convention = self.current.convention
        tokens = [t for t in re.split(r"[\s_\-|.~+/,;:]+", name) if t]
        values: list[str] = []
        for i, segment in enumerate(convention.segments):
            left = len(convention.segments) - i - 1
            if segment.kind == "text":
                take = max(1, len(tokens) - left)
                words, tokens = tokens[:take], tokens[take:]
                value = self._text(words, segment)
            else:
                value, used = self._code(segment, tokens)
                tokens = tokens[used:]
            if not value:
                return None
            values.append(value)
        suggestion = convention.separator.join(values)
        return suggestion if self.matches(suggestion) and suggestion != name else None

    def _text(self, words: list[str], segment: Segment) -> str:
        if segment.casing == "pascal":
            text = "".join((t := transliterate(w).text)[:1].upper() + t[1:] for w in words)
        else:
            text = apply_casing(transliterate(" ".join(words)).text, segment.casing)
        return text[: segment.max_length]

    def _code(self, segment: Segment, tokens: list[str]) -> tuple[str, int]:
        if not tokens:
            return "", 0
        first = tokens[0]
        if segment.kind == "year":
            if re.fullmatch(r"\d{4}", first):
                return first, 1
            return (f"20{first}", 1) if re.fullmatch(r"\d{2}", first) else ("", 0)
        if segment.kind == "quarter":
            digit = first.upper().removeprefix("Q")
            return (f"Q{digit}", 1) if digit in ("1", "2", "3", "4") else ("", 0)
        if segment.kind == "month":
            ok = first.isdigit() and 1 <= int(first) <= 12
            return (f"{int(first):02d}", 1) if ok else ("", 0)
        codes = self.vocabulary.codes(segment, self.level)
        # Codes may hold underscores: try the longest run of tokens that names a code.
        for n in range(min(3, len(tokens)), 0, -1):
            candidate = transliterate("_".join(tokens[:n])).text if n == 1 else None
            joined = "_".join(t.upper() for t in tokens[:n])
            for value in (joined, (candidate or "").upper()):
                if value in codes:
                    return value, n
        return "", 0
