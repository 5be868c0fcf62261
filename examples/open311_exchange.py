"""Exchange service requests with another system in Open311 GeoReport v2.

A partner system (a city's 311 platform, a FixMyStreet site) sends its requests; the
community's window receives the open ones as tickets, handles them, and sends each back
with the partner's own fields and extensions kept: only ``status`` (open or closed) and
the notes of progress are sqfw's.

Run from the repository root: ``python examples/open311_exchange.py``.
"""

# %% The partner's document: the specification's own XML example of GET requests
# (wiki.open311.org/GeoReport_v2, "GET Service Requests"; trailing spaces in media_url
# and all), with the second request given a FixMyStreet-style status and extension.
import json
from decimal import Decimal

import pendulum

from sqfw.workflows.open311 import (
    SENDER_STATUS,
    STATE_EXTENSION,
    dump_requests,
    import_requests,
    parse_requests,
    request_from_record,
)
from sqfw.workflows.ticket import ServiceCatalogue, ServiceSpec, TicketWorkflow

DOCUMENT = """<?xml version="1.0" encoding="utf-8"?>
<service_requests>
    <request>
        <service_request_id>638344</service_request_id>
        <status>closed</status>
        <status_notes>Duplicate request.</status_notes>
        <service_name>Sidewalk and Curb Issues</service_name>
        <service_code>006</service_code>
        <description></description>
        <agency_responsible></agency_responsible>
        <service_notice></service_notice>
        <requested_datetime>2010-04-14T06:37:38-08:00</requested_datetime>
        <updated_datetime>2010-04-14T06:37:38-08:00</updated_datetime>
        <expected_datetime>2010-04-15T06:37:38-08:00</expected_datetime>
        <address>8TH AVE and JUDAH ST</address>
        <address_id>545483</address_id>
        <zipcode>94122</zipcode>
        <lat>37.762221815</lat>
        <long>-122.4651145</long>
        <media_url>http://city.gov.s3.amazonaws.com/requests/media/638344.jpg </media_url>
    </request>
    <request>
        <service_request_id>638349</service_request_id>
        <status>investigating</status>
        <status_notes></status_notes>
        <service_name>Sidewalk and Curb Issues</service_name>
        <service_code>006</service_code>
        <description></description>
        <agency_responsible></agency_responsible>
        <service_notice></service_notice>
        <requested_datetime>2010-04-19T06:37:38-08:00</requested_datetime>
        <updated_datetime>2010-04-19T06:37:38-08:00</updated_datetime>
        <expected_datetime>2010-04-19T06:37:38-08:00</expected_datetime>
        <address>8TH AVE and JUDAH ST</address>
        <address_id>545483</address_id>
        <zipcode>94122</zipcode>
        <lat>37.762221815</lat>
        <long>-122.4651145</long>
        <media_url>http://city.gov.s3.amazonaws.com/requests/media/638349.jpg </media_url>
        <external_status_code>060</external_status_code>
    </request>
</service_requests>
"""

requests = parse_requests(DOCUMENT, format="xml")
print([(r.service_request_id, r.status, dict(r.extensions)) for r in requests])

# %% Receive: the open one (FixMyStreet's "investigating" is open) becomes a ticket
catalogue = ServiceCatalogue(
    name="partner",
    source="agreed with the partner",
    services=[
        ServiceSpec(
            code="006",
            label_zh="人行道和路缘问题",
            label_en="Sidewalk and Curb Issues",
            time_limit_working_days=5,
            offices=["other"],
        )
    ],
)
wf = TicketWorkflow(catalogue=catalogue)
result = import_requests(
    wf, requests, community_code="150102001001", applicant="匿名", actor="open311-import"
)
[item] = result.received
print("received:", item.ticket.id, item.ticket.media_url)
print("skipped:", [str(p) for p in result.skipped])

# %% Send back before acting: the partner's request as it came, status written as open
unchanged = request_from_record(
    wf, item.record, ticket=item.ticket, origin=item.request, reveal_personal_data=True
)
echo = dump_requests([unchanged], format="xml")
print(echo)

# %% Act, and send back again: sqfw's status and notes, the partner's other fields
when = pendulum.datetime(2010, 4, 20, 9, tz="America/Los_Angeles")
record = wf.apply(item.record, "dispatch", actor="dispatcher", at=when, data={"offices": ["other"]})
update = request_from_record(
    wf, record, ticket=item.ticket, origin=item.request, lang="en", state_extension=True
)
sent = json.loads(dump_requests([update]), parse_float=Decimal)[0]
print(dump_requests([update]))

# %% Checks
assert [r.status for r in requests] == ["closed", "investigating"]
assert item.ticket.media_url == "http://city.gov.s3.amazonaws.com/requests/media/638349.jpg"
assert result.skipped[0].path == "$[0].status"
assert unchanged == requests[1]
assert "<status>open</status>" in echo
assert f"<{SENDER_STATUS}>investigating</{SENDER_STATUS}>" in echo
assert "<external_status_code>060</external_status_code>" in echo
assert sent["status"] == "open"
assert sent[STATE_EXTENSION] == "processing"
assert sent["status_notes"].startswith("后台协同办理中 / processing in the back offices")
assert sent["external_status_code"] == "060"
assert "JUDAH" not in sent["address"]  # personal data masked by default
assert (sent["lat"], sent["long"]) == (Decimal("37.762"), Decimal("-122.465"))  # ~100 m
