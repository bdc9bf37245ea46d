"""Human words for the codes the app stores: `TRAFFICKED_SUCCESS` reads "Trafficked success".

Pages and printed reports show these; the API and CSV exports keep the codes.
"""

from enum import Enum

ACRONYMS = {"qa": "QA", "api": "API", "url": "URL", "utm": "UTM"}


def human(value: Enum | str | None) -> str:
    """A code as a person reads it: "LIFETIME" -> "Lifetime", "READY_FOR_API" -> "Ready for API"."""
    if value is None or value == "":
        return ""
    code = value.value if isinstance(value, Enum) else str(value)
    words = [ACRONYMS.get(word, word) for word in code.replace("_", " ").lower().split()]
    text = " ".join(words)
    return text[:1].upper() + text[1:]
