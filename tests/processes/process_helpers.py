"""A two-community region whose facility gaps are checked by hand, and a stateful driver.

甲社区 (urban, 1,500 households): the largest minimum is 1,500 × 0.3 = 450 m²; it has
400 m², 50 m² short. 丁嘎查 (pastoral, 100 households): the largest minimum is the §2.13
150 m²; it has 100 m², 50 m² short.
"""

from __future__ import annotations

import json
from typing import Any

import pendulum
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from sqfw.analysis import RegionDataset
from sqfw.entities import Community, Division, Facility, Region
from sqfw.errors import TransitionRefused
from sqfw.serialization import make_converter
from sqfw.workflows import Workflow, WorkflowRecord

JIA, DING = "150102001001", "150121100001"
XINCHENG, TUMOTE, REGION = "150102000000", "150121000000", "150000000000"


def centre(area: str) -> Facility:
    return Facility(id="centre", kind="comprehensive", total_area_m2=area, barrier_free=True)


def two_communities(jia_area: str = "400", ding_area: str = "100") -> Region:
    return Region(
        root=Division(code=REGION, name="内蒙古自治区", kind="autonomous_region"),
        divisions=(
            Division(code="150100000000", name="呼和浩特市", kind="prefecture_city"),
            Division(code=XINCHENG, name="新城区", kind="district"),
            Division(code=TUMOTE, name="土默特左旗", kind="banner"),
            Division(code="150102001000", name="海拉尔东路街道", kind="street"),
            Division(code="150121100000", name="察素齐镇", kind="town"),
        ),
        communities=(
            Community(
                code=JIA,
                name="甲社区",
                kind="urban",
                households=1500,
                resident_population=4000,
                facilities=(centre(jia_area),),
            ),
            Community(
                code=DING,
                name="丁嘎查",
                kind="pastoral",
                households=100,
                resident_population=300,
                facilities=(centre(ding_area),),
            ),
        ),
    )


def two_community_dataset() -> RegionDataset:
    return RegionDataset.from_region(two_communities())


CONVERTER = make_converter()


def dump(record: WorkflowRecord) -> str:
    return json.dumps(CONVERTER.unstructure(record), ensure_ascii=False, sort_keys=True)


class DriveWorkflow(RuleBasedStateMachine):
    """Random events with random (partly wrong) data; never an illegal state, trails verify."""

    workflow: Workflow[Any]
    start: pendulum.DateTime

    def __init__(self) -> None:
        super().__init__()
        self.record = self.workflow.new("R1")
        self.now = self.start
        self.accepted = 0

    def payload(self, event: str) -> st.SearchStrategy[dict[str, Any]]:
        raise NotImplementedError

    @rule(
        data=st.data(),
        hours=st.integers(0, 24 * 12),
        why=st.none() | st.just("依规程 / per the rules"),
    )
    def send(self, data: st.DataObject, hours: int, why: str | None) -> None:
        wf = self.workflow
        here = list(wf.events_from(self.record.state)) or [e.value for e in wf.events]
        pool = here if data.draw(st.integers(0, 9)) < 9 else [e.value for e in wf.events]
        event = data.draw(st.sampled_from(pool), label="event")
        payload = data.draw(self.payload(event), label="data")
        self.now = self.now.add(hours=hours)
        before = dump(self.record)
        refused: TransitionRefused | None = None
        try:
            after = wf.apply(
                self.record, event, actor="clerk", at=self.now, reason=why, data=payload
            )
        except TransitionRefused as exc:
            refused = exc
        if refused is not None:
            assert refused.reasons
            assert dump(self.record) == before  # a refusal changes nothing
            return
        assert after.version == self.record.version + 1
        assert after.trail[:-1] == self.record.trail
        self.record = after
        self.accepted += 1

    @invariant()
    def consistent(self) -> None:
        wf = self.workflow
        assert self.record.state in {s.value for s in wf.states}
        assert self.record.version == len(self.record.trail) == self.accepted
        type(wf).verify(self.record)
        assert wf.validator().check_records([self.record]) == []
        assert wf.replay("R1", self.record.trail) == self.record
        wf.facts(self.record)
