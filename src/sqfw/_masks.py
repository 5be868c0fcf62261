"""How personal data is masked: the one rule, for the privacy wrappers and for messages.

:func:`redact` masks every part of a text that *looks like* personal data (an identity
number, a unified social credit code, a mobile or landline number), whatever field it was
typed into, so that an error message never repeats it. The wrappers of
:mod:`sqfw.privacy` mask their own values with the same functions.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["MASK", "mask_middle", "mask_phone", "redact"]

MASK: Final = "*"

_CREDIT = "[0-9A-HJ-NPQRTUWXY]"
_LOOKS_PERSONAL: Final = re.compile(
    r"(?<![0-9A-Za-z])(?:"
    r"[0-9]{17}[0-9Xx]"  # identity number (GB 11643)
    r"|[0-9]{15}"  # first-generation identity number
    rf"|{_CREDIT}{{2}}[0-9]{{6}}{_CREDIT}{{10}}"  # unified social credit code (GB 32100)
    r"|(?:\+?86[- ]?)?1[3-9][0-9](?:[- ]?[0-9]{4}){2}"  # mobile number
    r"|0[0-9]{2,3}[- ]?[0-9]{7,8}"  # landline with its area code
    r")(?![0-9A-Za-z])"
)


def mask_middle(text: str) -> str:
    """Keep the first and last four characters of a long code; mask all of a short one."""
    if len(text) <= 8:
        return MASK * len(text)
    return text[:4] + MASK * (len(text) - 8) + text[-4:]


def mask_phone(text: str) -> str:
    """A phone number's digits, the first three and last four kept when it has 11 or more.

    A shorter number keeps only its last digits, so at least four are always hidden.
    """
    digits = re.sub(r"\D", "", text)
    head = 3 if len(digits) >= 11 else 0
    tail = max(0, min(4, len(digits) - 4))
    return digits[:head] + MASK * (len(digits) - head - tail) + digits[len(digits) - tail :]


def _mask_match(match: re.Match[str]) -> str:
    found = match.group(0)
    if len(found) in (15, 18) and found.isalnum():  # an identity number or a credit code
        return mask_middle(found)
    return mask_phone(found)


def redact(text: str) -> str:
    """``text`` with every part that looks like personal data masked.

    >>> redact("got '11010519491231002X'")
    "got '1101**********002X'"
    >>> redact("call 13800138000")
    'call 138****8000'
    """
    return _LOOKS_PERSONAL.sub(_mask_match, text)
