"""The floating-population register (流动人员信息登记基础数据库, §3.5) and its access log.

A :class:`FloatingRegister` holds :class:`~sqfw.entities.FloatingRegistration` records and
shows them masked (:meth:`~FloatingRegister.view`): the identity number, name, address and
phone are never shown in full by the register except through
:meth:`~FloatingRegister.read_full`, which first writes who read which record and why into
the register's access log. The log is a workflow record
(:class:`AccessLogWorkflow`, ``"floating_register_access"``): the same hash chain as every
audit trail (:mod:`sqfw.workflows._chain`), verified the same way and storable in the same
store (:class:`~sqfw.store.SqlStore`). Its entries name registrations by id only, so the
log itself holds no personal data (§3.10).

:meth:`FloatingRegister.counts` gives each community's floating population on a day, the
figure :attr:`~sqfw.entities.Community.floating_population` holds
(:meth:`FloatingRegister.fill`).

The register is immutable, like a workflow record: every change returns a new register.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping

import attrs
import pendulum
from statemachine.states import States

from sqfw._args import expect, instance_validator, named_fields, read_only_mapping
from sqfw.entities.community import Community
from sqfw.entities.register import FloatingRegistration, RegistrarRole
from sqfw.errors import InvalidArgumentError, RegisterError
from sqfw.labels import LabeledEnum
from sqfw.periods import as_date
from sqfw.workflows import (
    AuditEntry,
    EventContext,
    Refusal,
    Workflow,
    WorkflowMachine,
    WorkflowRecord,
    reason,
)
from sqfw.workflows._records import read_only

__all__ = [
    "AccessEvent",
    "AccessFacts",
    "AccessLogMachine",
    "AccessLogWorkflow",
    "AccessState",
    "Disclosure",
    "FloatingRegister",
    "FullRegistration",
    "MaskedRegistration",
    "RegisterError",
]


class AccessState(LabeledEnum):
    """The one state of an access log: open for entries."""

    OPEN = "open"

    __labels__ = {"open": ("登记库访问日志", "register access log")}


class AccessEvent(LabeledEnum):
    """What an access-log entry records."""

    READ_FULL = "read_full"

    __labels__ = {"read_full": ("查阅完整信息", "read a full record")}


class AccessLogMachine(WorkflowMachine):
    """Every full read is a self-transition that must say why and which record."""

    s = States.from_enum(AccessState, initial=AccessState.OPEN)

    read_full = s.OPEN.to.itself(validators=["needs_reason", "names_registration"])

    def names_registration(self, ctx: EventContext[AccessFacts]) -> None:
        """The entry names the registration read, by id."""
        if not isinstance(ctx.data.get("registration"), str) or not ctx.data["registration"]:
            raise Refusal(reason("须注明查阅的登记编号", "registration: the id of the record read"))


@attrs.frozen(kw_only=True, field_transformer=named_fields)
class AccessFacts:
    """What an access log says: how often each registration was read in full."""

    reads: Mapping[str, int] = attrs.field(factory=dict, converter=read_only_mapping)


class AccessLogWorkflow(Workflow[AccessFacts]):
    """The access log of a floating-population register (§3.5, §3.10).

    Events and their data: ``read_full`` with a reason (why) and ``registration`` (the
    id read) and ``community_code``.
    """

    name = "floating_register_access"
    machine = AccessLogMachine
    states = AccessState
    events = AccessEvent

    def initial_facts(self) -> AccessFacts:
        """A log with no reads."""
        return AccessFacts()

    def fold(self, facts: AccessFacts, entry: AuditEntry) -> AccessFacts:
        """Count one more read of the registration the entry names."""
        key = str(entry.data.get("registration"))
        return AccessFacts(reads={**facts.reads, key: facts.reads.get(key, 0) + 1})


@attrs.frozen(kw_only=True)
class MaskedRegistration:
    """A registration as the register shows it: personal data masked, the rest plain."""

    id: str
    community_code: str
    identity_number: str
    name: str
    address: str
    phone: str | None
    origin: str
    arrived_on: pendulum.Date
    registered_on: pendulum.Date
    registered_by_role: RegistrarRole
    registered_by: str
    departed_on: pendulum.Date | None
    building_code: str | None = None


@attrs.frozen(kw_only=True)
class FullRegistration:
    """A registration in full, handed out only with an access-log entry.

    The personal fields are left out of ``repr`` so that printing the object by accident
    shows only its id.
    """

    id: str
    community_code: str
    identity_number: str = attrs.field(repr=False)
    name: str = attrs.field(repr=False)
    address: str = attrs.field(repr=False)
    phone: str | None = attrs.field(repr=False)
    origin: str
    arrived_on: pendulum.Date
    departed_on: pendulum.Date | None


@attrs.frozen(kw_only=True)
class Disclosure:
    """What :meth:`FloatingRegister.read_full` returns: the record and the logged register.

    Attributes:
        record: the full registration.
        register: the register whose access log now holds the entry; keep it (and store
            its ``log``) in place of the one read from.
        entry: the access-log entry made.
    """

    record: FullRegistration
    register: FloatingRegister
    entry: AuditEntry


def _registrations(
    value: Iterable[FloatingRegistration] | Mapping[str, FloatingRegistration],
) -> Mapping[str, FloatingRegistration]:
    found: dict[str, FloatingRegistration] = {}
    items = value.values() if isinstance(value, Mapping) else value
    # an item is named by its type only: a registration holds personal data
    if isinstance(items, str | bytes) or not isinstance(items, Iterable):
        raise InvalidArgumentError(
            "FloatingRegister.registrations", type(value).__name__, "FloatingRegistration items"
        )
    for item in items:
        if not isinstance(item, FloatingRegistration):
            raise InvalidArgumentError(
                "FloatingRegister.registrations", type(item).__name__, "FloatingRegistration items"
            )
        if item.id in found:
            raise RegisterError("registrations", "unique registration ids", item.id)
        found[item.id] = item
    return read_only(found)


_LOG = AccessLogWorkflow()


def _register_id(value: str) -> str:
    # a converter, not a validator: the log's default reads it before validators run
    return expect("FloatingRegister.register_id", value, str)


def _mask(registration: FloatingRegistration) -> MaskedRegistration:
    r = registration
    return MaskedRegistration(
        id=r.id,
        community_code=r.community_code,
        identity_number=r.identity_number.masked(),
        name=r.name.masked(),
        address=r.address.masked(),
        phone=None if r.phone is None else r.phone.masked(),
        origin=r.origin,
        arrived_on=r.arrived_on,
        registered_on=r.registered_on,
        registered_by_role=r.registered_by_role,
        registered_by=r.registered_by,
        departed_on=r.departed_on,
        building_code=r.building_code,
    )


@attrs.frozen(kw_only=True, repr=False)
class FloatingRegister:
    """A community's (or street's) floating-population register and its access log.

    Args:
        register_id: the register's id (also the access log's record id).
        registrations: the registrations (unique ids); kept private, shown masked.
        log: the access log (a new, empty one by default).

    Raises:
        RegisterError: two registrations with one id.
        TrailBroken: a log that does not follow from its trail.
    """

    register_id: str = attrs.field(converter=_register_id)
    _registrations: Mapping[str, FloatingRegistration] = attrs.field(
        alias="registrations", factory=dict, converter=_registrations
    )
    log: WorkflowRecord = attrs.field(validator=instance_validator(WorkflowRecord))

    @log.default
    def _new_log(self) -> WorkflowRecord:
        return _LOG.new(self.register_id)

    def __attrs_post_init__(self) -> None:
        if self.log.record_id != self.register_id:
            raise RegisterError(
                "log.record_id", f"the register's id {self.register_id!r}", self.log.record_id
            )
        _LOG.trust(self.log)

    def __repr__(self) -> str:
        return (
            f"FloatingRegister({self.register_id!r}, {len(self._registrations)} registrations, "
            f"{self.log.version} logged reads)"
        )

    def __len__(self) -> int:
        return len(self._registrations)

    # --- changes --------------------------------------------------------------------------

    def add(self, registration: FloatingRegistration) -> FloatingRegister:
        """A new register with one more registration.

        Raises:
            RegisterError: its id is taken.
        """
        if registration.id in self._registrations:
            raise RegisterError("add.id", "an id not yet in the register", registration.id)
        return attrs.evolve(
            self, registrations={**self._registrations, registration.id: registration}
        )

    def depart(self, registration_id: str, on: pendulum.Date | _dt.date | str) -> FloatingRegister:
        """A new register where the resident left on ``on``.

        Raises:
            RegisterError: no such registration.
            InvalidEntityError: a departure before the arrival.
        """
        found = self._get("depart.registration_id", registration_id)
        left = attrs.evolve(found, departed_on=on)
        return attrs.evolve(self, registrations={**self._registrations, registration_id: left})

    # --- reading --------------------------------------------------------------------------

    def _get(self, where: str, registration_id: str) -> FloatingRegistration:
        try:
            return self._registrations[registration_id]
        except (KeyError, TypeError):
            raise RegisterError(
                where, "the id of a registration in the register", str(registration_id)
            ) from None

    def ids(self) -> tuple[str, ...]:
        """Every registration id, in order."""
        return tuple(sorted(self._registrations))

    def view(self, registration_id: str) -> MaskedRegistration:
        """One registration with its personal data masked (not logged: nothing is revealed).

        Raises:
            RegisterError: no such registration.
        """
        return _mask(self._get("view.registration_id", registration_id))

    def views(self, *, community_code: str | None = None) -> tuple[MaskedRegistration, ...]:
        """Every registration (of one community), masked, by id."""
        return tuple(
            _mask(self._registrations[i])
            for i in self.ids()
            if community_code is None or self._registrations[i].community_code == community_code
        )

    def read_full(
        self,
        registration_id: str,
        *,
        actor: str,
        purpose: str,
        at: pendulum.DateTime | _dt.datetime | str,
    ) -> Disclosure:
        """Read one registration in full, logging who read it, when and why.

        The entry is made first; a read that cannot be logged reveals nothing.

        Args:
            registration_id: the record to read.
            actor: who reads (a staff account, not a person's name).
            purpose: why (the legal or service purpose), kept in the log.
            at: when.

        Returns:
            A :class:`Disclosure`: the full record, the register with the logged read.

        Raises:
            RegisterError: no such registration (nothing is logged).
            TransitionRefused: no actor or purpose, or a time before the last entry.
        """
        found = self._get("read_full.registration_id", registration_id)
        log = _LOG.apply(
            self.log,
            "read_full",
            actor=actor,
            at=at,
            reason=purpose,
            data={"registration": found.id, "community_code": found.community_code},
        )
        entry = log.trail[-1]
        record = FullRegistration(
            id=found.id,
            community_code=found.community_code,
            identity_number=found.identity_number.reveal(),
            name=found.name.reveal(),
            address=found.address.reveal(),
            phone=None if found.phone is None else found.phone.reveal(),
            origin=found.origin,
            arrived_on=found.arrived_on,
            departed_on=found.departed_on,
        )
        return Disclosure(record=record, register=attrs.evolve(self, log=log), entry=entry)

    def accesses(self, registration_id: str | None = None) -> tuple[AuditEntry, ...]:
        """The log's entries (for one registration): who read, when, why."""
        return tuple(
            e
            for e in self.log.trail
            if registration_id is None or e.data.get("registration") == registration_id
        )

    def verify_log(self) -> None:
        """Check the access log's chain (see :meth:`~sqfw.workflows.Workflow.verify`).

        Raises:
            TrailBroken: names the first bad entry.
        """
        AccessLogWorkflow.verify(self.log)

    # --- figures --------------------------------------------------------------------------

    def counts(self, on: pendulum.Date | _dt.date | str) -> dict[str, int]:
        """Floating residents present on ``on``, by community code (§3.5)."""
        day = as_date(on)
        found: dict[str, int] = {}
        for r in self._registrations.values():
            if r.present_on(day):
                found[r.community_code] = found.get(r.community_code, 0) + 1
        return dict(sorted(found.items()))

    def by_registrar(self, on: pendulum.Date | _dt.date | str) -> dict[str, int]:
        """Residents present on ``on`` by the role that registered them (楼栋长, 居民小组长 …)."""
        day = as_date(on)
        found: dict[str, int] = {}
        for r in self._registrations.values():
            if r.present_on(day):
                key = r.registered_by_role.value
                found[key] = found.get(key, 0) + 1
        return found

    def by_building(self, on: pendulum.Date | _dt.date | str) -> dict[str, int]:
        """Residents present on ``on`` by the building they live in (§3.5), for the
        registrations that name one (``building_code``); by building code.

        .. versionadded:: 0.1.0
        """
        day = as_date(on)
        found: dict[str, int] = {}
        for r in self._registrations.values():
            if r.building_code is not None and r.present_on(day):
                found[r.building_code] = found.get(r.building_code, 0) + 1
        return dict(sorted(found.items()))

    def fill(self, community: Community, on: pendulum.Date | _dt.date | str) -> Community:
        """The community with its floating population set from the register on ``on``."""
        return attrs.evolve(community, floating_population=self.counts(on).get(community.code, 0))
