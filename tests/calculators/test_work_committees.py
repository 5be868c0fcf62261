"""§1.3: the committee for the elderly, women and children the 2025 revisions add."""

from __future__ import annotations

import pytest

from sqfw.calculators import Status, elderly_women_children_committee
from sqfw.entities import Committee, Community


def _committee(has: bool | None) -> Committee:
    return Committee(
        term=11, kind="residents", method="direct", elderly_women_children_committee=has
    )


class TestElderlyWomenChildrenCommittee:
    """Required from 2026-01-01; before, not applicable."""

    @pytest.mark.parametrize(
        ("has", "status"),
        [(True, Status.PASS), (False, Status.FAIL), (None, Status.UNKNOWN)],
    )
    def test_from_2026(self, has: bool | None, status: Status) -> None:
        """On 2026-01-01 the committee is required: with it passes, without it fails."""
        result = elderly_women_children_committee(_committee(has), on="2026-01-01")
        assert result.status is status
        assert result.clauses == ("§1.3",)

    def test_the_day_before(self) -> None:
        """On 2025-12-31 nothing is required, whatever the committee has."""
        result = elderly_women_children_committee(_committee(False), on="2025-12-31")
        assert result.status is Status.NOT_APPLICABLE

    def test_a_community_without_a_committee(self) -> None:
        """A community with no committee recorded: unknown, naming the community."""
        community = Community(
            code="150102001001",
            name="示例社区",
            kind="urban",
            households=1200,
            resident_population=3000,
        )
        result = elderly_women_children_committee(community, on="2026-05-10")
        assert result.status is Status.UNKNOWN
        assert result.subject == "150102001001"
