"""Text in any script becomes the ASCII letters and digits a name is made of.

anyascii (ISC licence, maintained, a table for every Unicode script) rather than Unidecode
(GPL, which would bind the whole product to the GPL) or a hand table. It is language-neutral:
"ü" is "u" whatever the language, so "Straße Frühling" becomes "StrasseFruhling", not
German's "StrasseFruehling". A name must come out the same whoever types it: the same word
typed by the German and the Austrian, Swiss or Turkish team ("Türkiye" is spelled "Turkiye"
in ASCII) must give one name, and a rule per market language would make the name depend on
the market and break decoding.

Only letters and numbers are transliterated ("½" is "12"); symbols, emoji and punctuation
are dropped (anyascii spells an emoji out as ":sunny:", which has no place in a name).
"""

import unicodedata
from dataclasses import dataclass

from anyascii import anyascii


@dataclass(frozen=True)
class Transliteration:
    """What a text became: its ASCII letters and digits, and what happened on the way."""

    text: str
    changed: tuple[tuple[str, str], ...]  # (original, replacement), each once, in order
    dropped: tuple[str, ...]  # characters left out, each once, in order

    def describe(self) -> str:
        """One sentence for people: what was transliterated and what was dropped."""
        said = []
        if self.changed:
            said.append("Transliterated " + ", ".join(f"{a} → {b}" for a, b in self.changed) + ".")
        if self.dropped:
            shown = " ".join("space" if c == " " else c for c in self.dropped)
            said.append(f"Dropped {shown}.")
        return " ".join(said)


def _ascii(char: str) -> str:
    """One letter or digit in ASCII ('' when it has none)."""
    out = anyascii(char)
    name = unicodedata.name(char, "")
    # A Latin capital ligature keeps every letter capital: Æ is AE, Œ is OE (anyascii gives
    # "Ae"), which its Unicode name spells out ("LATIN CAPITAL LETTER AE").
    for prefix in ("LATIN CAPITAL LETTER ", "LATIN CAPITAL LIGATURE "):
        if name.startswith(prefix) and name.removeprefix(prefix) == out.upper():
            out = out.upper()
    return "".join(c for c in out if c.isascii() and c.isalnum())


def transliterate(value: str | None) -> Transliteration:
    """Keep the letters and digits of `value` in ASCII, in the typed casing."""
    kept: list[str] = []
    changed: dict[str, str] = {}
    dropped: dict[str, None] = {}
    for char in unicodedata.normalize("NFC", value or ""):
        if char.isascii():
            if char.isalnum():
                kept.append(char)
            else:
                dropped[char] = None
            continue
        category = unicodedata.category(char)
        # Letters and numbers of any script (what str.isalnum() and \w call alphanumeric).
        out = _ascii(char) if category[0] in "LN" else ""
        if out:
            kept.append(out)
            changed.setdefault(char, out)
        else:
            dropped[char] = None
    return Transliteration("".join(kept), tuple(changed.items()), tuple(dropped))
