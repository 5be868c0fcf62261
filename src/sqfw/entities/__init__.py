"""The nouns of the community service system: frozen, validated attrs classes.

One module per aggregate; import from here or from :mod:`sqfw`.
"""

from sqfw.entities.committee import (
    Committee,
    CommitteeKind,
    CommitteeMember,
    ElectionMethod,
    Gender,
    MemberRole,
)
from sqfw.entities.community import Community, CommunityKind, SmartCommunity
from sqfw.entities.divisions import (
    Division,
    DivisionKind,
    DivisionLevel,
    ancestor_code,
    division_level,
    parent_code,
)
from sqfw.entities.election import Candidate, Election
from sqfw.entities.facility import CoLocatedService, Facility, FacilityKind, Ownership
from sqfw.entities.grid import (
    EXAMPLE_SCHEME,
    Building,
    CommunityUnits,
    Grid,
    GridWorker,
    ResidentGroup,
    UnitCodeScheme,
    UnitKind,
    UnitLeader,
)
from sqfw.entities.organization import OrganizationKind, SocialOrganization
from sqfw.entities.owners import JointMeeting, OwnersCommittee
from sqfw.entities.projects import (
    CommunityFoundation,
    FacilityProject,
    FundingSource,
    IncubationRecord,
    IncubationSupport,
    Provision,
    ServiceProject,
)
from sqfw.entities.region import Region
from sqfw.entities.register import FloatingRegistration, RegistrarRole, ResidentialAddress
from sqfw.entities.registry import registered_volunteers, with_registry_counts
from sqfw.entities.service import ServicePeriod
from sqfw.entities.ticket import Channel, Department, ServiceTicket, TicketKind
from sqfw.entities.volunteer import ServiceCertificate, ServiceRecord, Volunteer, VolunteerGroup
from sqfw.entities.worker import CommunityWorker, EducationLevel, TrainingRecord

__all__ = [
    "EXAMPLE_SCHEME",
    "Building",
    "Candidate",
    "Channel",
    "CoLocatedService",
    "Committee",
    "CommitteeKind",
    "CommitteeMember",
    "Community",
    "CommunityFoundation",
    "CommunityKind",
    "CommunityUnits",
    "CommunityWorker",
    "Department",
    "Division",
    "DivisionKind",
    "DivisionLevel",
    "EducationLevel",
    "Election",
    "ElectionMethod",
    "Facility",
    "FacilityKind",
    "FacilityProject",
    "FloatingRegistration",
    "FundingSource",
    "Gender",
    "Grid",
    "GridWorker",
    "IncubationRecord",
    "IncubationSupport",
    "JointMeeting",
    "MemberRole",
    "OrganizationKind",
    "OwnersCommittee",
    "Ownership",
    "Provision",
    "Region",
    "RegistrarRole",
    "ResidentGroup",
    "ResidentialAddress",
    "ServiceCertificate",
    "ServicePeriod",
    "ServiceProject",
    "ServiceRecord",
    "ServiceTicket",
    "SmartCommunity",
    "SocialOrganization",
    "TicketKind",
    "TrainingRecord",
    "UnitCodeScheme",
    "UnitKind",
    "UnitLeader",
    "Volunteer",
    "VolunteerGroup",
    "ancestor_code",
    "division_level",
    "parent_code",
    "registered_volunteers",
    "with_registry_counts",
]
