"""What was counted at a place: the figures a target's kind and a share decide from.

:class:`Count` sits apart from the kinds (:mod:`._kinds`) and the shared share arithmetic
(:mod:`._share`) so that both import it and neither imports the other back.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from typing import Any, Literal

import attrs

__all__ = ["Count", "Unknowns"]

Unknowns = Literal["within", "members", "amounts"]
"""How the cases with an unknown answer or figure stand to a count.

``"within"``: members of the total whose answer is unknown (streets with no answer on a
hall); ``"members"``: members left out of the total (urban communities whose area is
unknown, committees whose term is unknown); ``"amounts"``: rows whose amounts are left
out of both sums (volunteers and residents of a community with an unknown count).
"""


@attrs.frozen(kw_only=True)
class Count:
    """What was counted at a place: the figures a kind decides from.

    Attributes:
        yes: the numerator (members, persons, or an amount such as m²).
        total: the denominator.
        unknown: the cases whose answer or figure is unknown (see :data:`Unknowns`).
        failed: for a norm, the communities failing it.
        shortfall: for a norm, the sum of the failing communities' shortfalls.
    """

    yes: Any
    total: Any
    unknown: int
    failed: int = 0
    shortfall: float = 0.0

    def nothing_known(self, unknowns: Unknowns = "within") -> bool:
        """Whether no case counted has a known answer or figure: a share of nothing known
        is no share (shown "—", never "0.00%").

        Args:
            unknowns: how the unknown cases stand to the count (``"within"``: they are
                members of the total; otherwise they were left out of it).
        """
        known = self.total - self.unknown if unknowns == "within" else self.total
        return self.unknown > 0 and not self.yes and known <= 0
