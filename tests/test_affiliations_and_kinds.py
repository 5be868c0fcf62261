"""A region's people and organisations belong to it; a document's schema by kind or class.

A worker, an organisation or a volunteer names the community it belongs to; in a region,
that community is inside the region's root (a code under the root's prefix), so nobody is
counted for a region they do not belong to. ``json_schema`` takes a document kind, its
entity class or the class's name, and refuses anything else with every kind listed.
"""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sqfw import json_schema
from sqfw import testing as sqst
from sqfw.entities import Community, Division, Region
from sqfw.entities.divisions import code_prefix
from sqfw.errors import InvalidArgumentError, InvalidEntityError, UnknownDocumentKind
from sqfw.serialization import DOCUMENT_KINDS

LEAGUE = Division(code="150100000000", name="呼和浩特市", kind="prefecture_city")
INSIDE = "150102001001"  # a community of the league (its prefix is 1501)
NEIGHBOUR = "150202001001"  # a community of the next league, same region
OTHER_PROVINCE = "110101001001"  # Beijing


class TestAffiliations:
    """Workers, organisations and volunteers of a region belong to a community inside it."""

    @pytest.mark.parametrize(
        ("field", "strategy"),
        [
            ("workers", sqst.workers),
            ("organizations", sqst.organizations),
            ("volunteers", sqst.volunteers),
        ],
    )
    @given(data=st.data())
    def test_inside_and_outside(self, field: str, strategy: object, data: st.DataObject) -> None:
        make = strategy  # a function of community_code, from sqfw.testing
        inside = data.draw(make(community_code=INSIDE))  # type: ignore[operator]
        assert getattr(Region(root=LEAGUE, **{field: [inside]}), field) == (inside,)
        for outside in (NEIGHBOUR, OTHER_PROVINCE):
            item = attrs.evolve(inside, community_code=outside)
            with pytest.raises(InvalidEntityError) as refused:
                Region(root=LEAGUE, **{field: [item]})
            assert refused.value.field == field
            assert refused.value.value == outside
            assert "150100000000 呼和浩特市 (1501…)" in refused.value.expected
            assert repr(item.id) in refused.value.expected

    @given(region=sqst.regions(max_items=2))
    def test_generated_regions_hold(self, region: Region) -> None:
        """Every region the strategies make keeps its members inside (they still build)."""
        prefix = code_prefix(region.root.code)
        for item in (*region.workers, *region.organizations, *region.volunteers):
            assert item.community_code.startswith(prefix)


class TestJsonSchemaKinds:
    """json_schema takes the kind, the class or the class's name; the same schema each."""

    @pytest.mark.parametrize("kind", sorted(DOCUMENT_KINDS))
    def test_class_and_class_name(self, kind: str) -> None:
        cls = DOCUMENT_KINDS[kind]
        by_kind = json_schema(kind)
        assert json_schema(cls) == by_kind
        assert json_schema(cls.__name__) == by_kind
        assert by_kind["properties"]["document"] == {
            "const": kind,
            "description": "The document kind.",
        }

    def test_the_issue_example(self) -> None:
        assert json_schema(Community)["title"].startswith("sqfw community document")

    @pytest.mark.parametrize("kind", ["town", "", "COMMUNITY", int, None, 3, Division.__init__])
    def test_anything_else(self, kind: object) -> None:
        with pytest.raises(UnknownDocumentKind) as refused:
            json_schema(kind)  # type: ignore[arg-type]
        assert isinstance(refused.value, InvalidArgumentError)
        assert isinstance(refused.value, LookupError)
        assert refused.value.argument == "kind"
        assert ", ".join(DOCUMENT_KINDS) in str(refused.value)
