"""Fixtures of the workflow tests."""

from __future__ import annotations

import pytest
from workflow_helpers import village_rules

from sqfw.workflows.election import ElectionWindow, ElectionWorkflow
from sqfw.workflows.ticket import TicketWorkflow, example_catalogue


@pytest.fixture
def election_wf() -> ElectionWorkflow:
    return ElectionWorkflow(
        rules=village_rules(),
        windows=[ElectionWindow(term=10, opens="2017-03-01", closes="2017-08-31")],
    )


@pytest.fixture
def ticket_wf() -> TicketWorkflow:
    return TicketWorkflow(catalogue=example_catalogue())
