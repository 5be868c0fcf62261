"""The units below a community: grids, buildings and resident groups (§3.2, §3.5).

The plan asks communities to make use of resident-group leaders and building leaders
(居民小组长、楼栋长, §3.5) and to keep electronic records of residents and service teams
(§3.2). Practice divides a community into grids (网格), each with one or more grid workers
(网格员) who patrol, report and follow events (:mod:`sqfw.workflows.grid_event`).

- :class:`Grid`: a grid of one community, its households and its :class:`GridWorker`
  assignments;
- :class:`Building`: a building (楼栋) of one community, lying in a grid or not, with its
  building leader (楼栋长);
- :class:`ResidentGroup`: a resident group (居民小组) with its leader (居民小组长) and the
  buildings it covers;
- :class:`CommunityUnits`: every unit of one community under one
  :class:`UnitCodeScheme`, checked together (codes unique, each unit in the community,
  buildings in grids of the same community).

No national standard numbers these units: a unit's code is the community's 12-digit
statistical division code followed by a local serial, and how many digits each kind takes
is the host's :class:`UnitCodeScheme`. :data:`EXAMPLE_SCHEME` (grid + 3 digits, resident
group + 2, building + 4) is an example, not a standard.

A grid worker is its own entity, an assignment to a grid, rather than a role of
:class:`~sqfw.entities.CommunityWorker`: grid workers are full-time (专职网格员) or
part-time (兼职网格员: a building leader, a volunteer, a community police officer), and
only the professional ones are community workers counted by §5.3 and §5.4; a
:class:`GridWorker` names the community worker who holds the post, when one does
(``worker_id``), so nobody is counted twice and no part-time helper enters the workforce
figures.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Final

import attrs
import pendulum

from sqfw._fields import (
    explained,
    fail,
    identifier,
    non_negative_int,
    text,
    to_name,
    to_optional_date,
    to_optional_phone,
    to_text,
    to_tuple,
    unique_by,
)
from sqfw.entities.community import Community
from sqfw.entities.divisions import DivisionLevel, division_level, village_code
from sqfw.errors import InvalidArgumentError, InvalidEntityError
from sqfw.labels import LabeledEnum
from sqfw.privacy import PersonName, PhoneNumber

__all__ = [
    "EXAMPLE_SCHEME",
    "Building",
    "CommunityUnits",
    "Grid",
    "GridWorker",
    "ResidentGroup",
    "UnitCodeScheme",
    "UnitKind",
    "UnitLeader",
]

_COMMUNITY_DIGITS: Final = 12
_MAX_SERIAL_DIGITS: Final = 8
_DIGITS: Final = re.compile(r"[0-9]+")
UNIT_CODE_TEXT: Final = (
    rf"^[0-9]{{{_COMMUNITY_DIGITS + 1},{_COMMUNITY_DIGITS + _MAX_SERIAL_DIGITS}}}$"
)
"""A unit code as a JSON Schema pattern: 13 to 20 ASCII digits (the community's code is
checked against the unit's ``community_code`` when it is read)."""


class UnitKind(LabeledEnum):
    """The kinds of unit below a community (§3.5)."""

    GRID = "grid"
    BUILDING = "building"
    RESIDENT_GROUP = "resident_group"

    __labels__ = {
        "grid": ("网格", "grid"),
        "building": ("楼栋", "building"),
        "resident_group": ("居民小组", "resident group"),
    }


def _serial_digits(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or not 1 <= value <= _MAX_SERIAL_DIGITS
    ):
        fail(instance, attribute, value, f"a number of digits from 1 to {_MAX_SERIAL_DIGITS}")


def _distinct_widths(
    instance: UnitCodeScheme, attribute: attrs.Attribute[Any], value: object
) -> None:
    widths = (instance.grid_digits, instance.resident_group_digits, value)
    if len(set(widths)) != len(widths):
        fail(
            instance,
            attribute,
            value,
            "three different widths (grid, resident group, building), so that a code "
            f"tells its kind; got {widths}",
        )


@attrs.frozen(kw_only=True, field_transformer=explained)
class UnitCodeScheme:
    """How a host numbers the units below a community: the community's 12-digit code,
    then a serial of a fixed number of digits per kind.

    No national standard exists (REQUIREMENTS, "Below the community"): the widths are the
    host's. They differ per kind, so a code alone tells whether it is a grid, a resident
    group or a building.

    Attributes:
        name: what the scheme is called (the host's document).
        grid_digits: digits of a grid's serial (1–8).
        resident_group_digits: digits of a resident group's serial (1–8).
        building_digits: digits of a building's serial (1–8).
        is_example: the scheme is an example, not a host's own (:data:`EXAMPLE_SCHEME`).

    Raises:
        InvalidEntityError: a width outside 1–8, or two kinds of the same width.

    .. versionadded:: 0.1.0
    """

    name: str = attrs.field(converter=to_text, validator=text(200))
    grid_digits: int = attrs.field(validator=_serial_digits)
    resident_group_digits: int = attrs.field(validator=_serial_digits)
    building_digits: int = attrs.field(validator=[_serial_digits, _distinct_widths])
    is_example: bool = False

    def width(self, kind: UnitKind | str) -> int:
        """The serial's number of digits for ``kind``."""
        kind = UnitKind(kind)
        if kind is UnitKind.GRID:
            return self.grid_digits
        if kind is UnitKind.RESIDENT_GROUP:
            return self.resident_group_digits
        return self.building_digits

    def code(self, kind: UnitKind | str, community_code: str, serial: int) -> str:
        """The code of the ``serial``-th unit of ``kind`` in the community.

        Raises:
            InvalidEntityError: the serial does not fit the width (1 to 10**width - 1).
        """
        width = self.width(kind)
        if isinstance(serial, bool) or not isinstance(serial, int) or not 0 < serial < 10**width:
            raise InvalidEntityError(
                "UnitCodeScheme", "serial", serial, f"an integer from 1 to {10**width - 1}"
            )
        return f"{community_code}{serial:0{width}d}"

    def kind_of(self, code: str) -> UnitKind | None:
        """The kind a unit code has under this scheme, by its length; ``None`` if none."""
        for kind in UnitKind:
            if len(code) == _COMMUNITY_DIGITS + self.width(kind):
                return kind
        return None


EXAMPLE_SCHEME: Final = UnitCodeScheme(
    name="sqfw 示例编码方案(社区代码+网格3位/居民小组2位/楼栋4位) / "
    "sqfw example scheme (community code + 3-digit grid, 2-digit group, 4-digit building)",
    grid_digits=3,
    resident_group_digits=2,
    building_digits=4,
    is_example=True,
)
"""An EXAMPLE scheme, not a standard: grid ``150102001001`` + ``001``, resident group
+ ``01``, building + ``0001``. A host passes its own :class:`UnitCodeScheme`."""


def _is_community(code: object) -> bool:
    try:
        return isinstance(code, str) and division_level(code) is DivisionLevel.VILLAGE
    except InvalidArgumentError:
        return False


def unit_code(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: a unit code of the instance's community (``community_code``):
    that code followed by a serial of 1–8 ASCII digits, not all zeros.

    The width of each kind's serial is the :class:`UnitCodeScheme`'s, checked by
    :class:`CommunityUnits`. When the community's code is itself malformed, its own field
    says so and this check is skipped.
    """
    community = getattr(instance, "community_code", None)
    expected = (
        f"the community's code {community} followed by 1–{_MAX_SERIAL_DIGITS} digits, not all zeros"
    )
    if not isinstance(value, str):
        fail(instance, attribute, value, expected)
        return
    if not isinstance(community, str) or not _is_community(community):
        return  # the community's own code is refused by its field: one problem, not two
    serial = value[len(community) :]
    if (
        not value.startswith(community)
        or not 1 <= len(serial) <= _MAX_SERIAL_DIGITS
        or not _DIGITS.fullmatch(serial)
        or not serial.isascii()
        or not serial.strip("0")
    ):
        fail(instance, attribute, value, expected)


def _optional_unit_code(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        unit_code(instance, attribute, value)


def _until_after_since(
    instance: GridWorker, attribute: attrs.Attribute[Any], value: pendulum.Date | None
) -> None:
    since = instance.since
    if value is not None and since is not None and value < since:
        fail(instance, attribute, value, f"an end on or after the start ({since})")


@attrs.frozen(kw_only=True, field_transformer=explained)
class UnitLeader:
    """A building leader (楼栋长) or resident-group leader (居民小组长), §3.5.

    Attributes:
        id: the leader's identifier (used as ``registered_by`` of the floating-population
            registrations they make, never a name).
        name: the leader's name (personal data, masked).
        phone: an optional phone (personal data, masked).
        since: when they took the post, if recorded.

    .. versionadded:: 0.1.0
    """

    id: str = attrs.field(validator=identifier)
    name: PersonName = attrs.field(converter=to_name)
    phone: PhoneNumber | None = attrs.field(default=None, converter=to_optional_phone)
    since: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)


@attrs.frozen(kw_only=True, field_transformer=explained)
class GridWorker:
    """A grid worker's assignment to a grid (网格员).

    Attributes:
        id: the grid worker's identifier.
        name: their name (personal data, masked).
        full_time: a full-time grid worker (专职网格员); ``False`` for a part-time one
            (兼职网格员: a building leader, a volunteer …).
        worker_id: the :class:`~sqfw.entities.CommunityWorker` who holds the post, when a
            professional community worker does.
        since: the first day of the assignment, if recorded.
        until: its last day, once it ended (not before ``since``).
        phone: an optional phone (personal data, masked).

    .. versionadded:: 0.1.0
    """

    id: str = attrs.field(validator=identifier)
    name: PersonName = attrs.field(converter=to_name)
    full_time: bool = True
    worker_id: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(identifier)
    )
    since: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)
    until: pendulum.Date | None = attrs.field(
        default=None, converter=to_optional_date, validator=_until_after_since
    )
    phone: PhoneNumber | None = attrs.field(default=None, converter=to_optional_phone)

    def serves_on(self, day: pendulum.Date) -> bool:
        """Whether the assignment holds on ``day`` (first and last day included; an
        assignment without a start holds from the beginning)."""
        return (self.since is None or self.since <= day) and (
            self.until is None or day <= self.until
        )


def _grid_workers(value: Iterable[GridWorker]) -> tuple[GridWorker, ...]:
    return to_tuple(value, GridWorker)


def _leader(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, UnitLeader):
        fail(instance, attribute, value, "a UnitLeader or None")


@attrs.frozen(kw_only=True, field_transformer=explained)
class Grid:
    """A grid (网格) of one community.

    Attributes:
        code: the grid's code (the community's code and a serial, see
            :class:`UnitCodeScheme`).
        community_code: the community's 12-digit code.
        name: the grid's name, e.g. ``"第一网格"``.
        households: households in the grid (户数); ``None`` when unknown.
        workers: the grid-worker assignments, past and present; ids unique.

    Raises:
        InvalidEntityError: a code outside the community, negative households, a worker
            listed twice.

    .. versionadded:: 0.1.0
    """

    community_code: str = attrs.field(validator=village_code)
    code: str = attrs.field(validator=unit_code)
    name: str = attrs.field(converter=to_text, validator=text(100))
    households: int | None = attrs.field(default=None, validator=non_negative_int)
    workers: tuple[GridWorker, ...] = attrs.field(
        default=(), converter=_grid_workers, validator=unique_by(lambda w: w.id, "worker id")
    )

    def workers_on(self, day: pendulum.Date) -> tuple[GridWorker, ...]:
        """The grid workers assigned on ``day``."""
        return tuple(w for w in self.workers if w.serves_on(day))


@attrs.frozen(kw_only=True, field_transformer=explained)
class Building:
    """A building (楼栋) of one community, with its building leader (楼栋长, §3.5).

    Attributes:
        code: the building's code (the community's code and a serial).
        community_code: the community's 12-digit code.
        name: what residents call it, e.g. ``"3号楼"``.
        grid_code: the grid it lies in, if any (a grid of the same community).
        households: households in it; ``None`` when unknown.
        leader: its building leader, if there is one.

    .. versionadded:: 0.1.0
    """

    community_code: str = attrs.field(validator=village_code)
    code: str = attrs.field(validator=unit_code)
    name: str = attrs.field(converter=to_text, validator=text(100))
    grid_code: str | None = attrs.field(default=None, validator=_optional_unit_code)
    households: int | None = attrs.field(default=None, validator=non_negative_int)
    leader: UnitLeader | None = attrs.field(default=None, validator=_leader)


def _codes(value: Iterable[str]) -> tuple[str, ...]:
    return to_tuple(value, str)


def _building_codes(
    instance: ResidentGroup, attribute: attrs.Attribute[Any], value: tuple[str, ...]
) -> None:
    for code in value:
        unit_code(instance, attribute, code)


@attrs.frozen(kw_only=True, field_transformer=explained)
class ResidentGroup:
    """A resident group (居民小组) with its leader (居民小组长, §3.5).

    Attributes:
        code: the group's code (the community's code and a serial).
        community_code: the community's 12-digit code.
        name: its name, e.g. ``"第二居民小组"``.
        households: households in it; ``None`` when unknown.
        leader: its resident-group leader, if there is one.
        building_codes: the buildings it covers (buildings of the same community).

    .. versionadded:: 0.1.0
    """

    community_code: str = attrs.field(validator=village_code)
    code: str = attrs.field(validator=unit_code)
    name: str = attrs.field(converter=to_text, validator=text(100))
    households: int | None = attrs.field(default=None, validator=non_negative_int)
    leader: UnitLeader | None = attrs.field(default=None, validator=_leader)
    building_codes: tuple[str, ...] = attrs.field(
        default=(),
        converter=_codes,
        validator=[_building_codes, unique_by(lambda c: c, "building code")],
    )


def _grids(value: Iterable[Grid]) -> tuple[Grid, ...]:
    return to_tuple(value, Grid)


def _buildings(value: Iterable[Building]) -> tuple[Building, ...]:
    return to_tuple(value, Building)


def _groups(value: Iterable[ResidentGroup]) -> tuple[ResidentGroup, ...]:
    return to_tuple(value, ResidentGroup)


def _in_community(instance: CommunityUnits, attribute: attrs.Attribute[Any], value: Any) -> None:
    kind = {"grids": UnitKind.GRID, "buildings": UnitKind.BUILDING}.get(
        attribute.name, UnitKind.RESIDENT_GROUP
    )
    width = instance.scheme.width(kind)
    for index, unit in enumerate(value):
        where = f"{attribute.name}[{index}]"
        if unit.community_code != instance.community_code:
            raise InvalidEntityError(
                "CommunityUnits",
                f"{where}.community_code",
                unit.community_code,
                f"the community {instance.community_code}",
            )
        if len(unit.code) != _COMMUNITY_DIGITS + width:
            raise InvalidEntityError(
                "CommunityUnits",
                f"{where}.code",
                unit.code,
                f"a {kind.label_en} code of {_COMMUNITY_DIGITS} + {width} digits "
                f"({instance.scheme.name})",
            )


def _links(instance: CommunityUnits, attribute: attrs.Attribute[Any], value: Any) -> None:
    units: tuple[Grid | Building | ResidentGroup, ...] = (
        *instance.grids,
        *instance.buildings,
        *instance.resident_groups,
    )
    codes = [u.code for u in units]
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            fail(instance, attribute, code, f"unit codes unique (duplicate {code})")
        seen.add(code)
    grids = {g.code for g in instance.grids}
    for index, building in enumerate(instance.buildings):
        if building.grid_code is not None and building.grid_code not in grids:
            raise InvalidEntityError(
                "CommunityUnits",
                f"buildings[{index}].grid_code",
                building.grid_code,
                "a grid of the same community listed in grids",
            )
    buildings = {b.code for b in instance.buildings}
    for index, group in enumerate(instance.resident_groups):
        for code in group.building_codes:
            if code not in buildings:
                raise InvalidEntityError(
                    "CommunityUnits",
                    f"resident_groups[{index}].building_codes",
                    code,
                    "a building of the same community listed in buildings",
                )


def _scheme(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, UnitCodeScheme):
        fail(instance, attribute, value, "a UnitCodeScheme")


@attrs.frozen(kw_only=True, field_transformer=explained)
class CommunityUnits:
    """Every grid, building and resident group of one community, checked together.

    Attributes:
        community_code: the community's 12-digit code.
        scheme: the host's :class:`UnitCodeScheme` (default: :data:`EXAMPLE_SCHEME`, an
            example).
        grids: its grids.
        buildings: its buildings; each lies in one of ``grids`` or in none.
        resident_groups: its resident groups; each covers buildings of ``buildings``.

    Raises:
        InvalidEntityError: a unit of another community, a code of the wrong width for
            its kind under the scheme, a code used twice, a building in a grid that is
            not listed, a group covering a building that is not listed.

    .. versionadded:: 0.1.0
    """

    community_code: str = attrs.field(validator=village_code)
    scheme: UnitCodeScheme = attrs.field(default=EXAMPLE_SCHEME, validator=_scheme)
    grids: tuple[Grid, ...] = attrs.field(default=(), converter=_grids, validator=_in_community)
    buildings: tuple[Building, ...] = attrs.field(
        default=(), converter=_buildings, validator=_in_community
    )
    resident_groups: tuple[ResidentGroup, ...] = attrs.field(
        default=(), converter=_groups, validator=[_in_community, _links]
    )

    def grid(self, code: str) -> Grid | None:
        """The grid with ``code``, or ``None``."""
        return next((g for g in self.grids if g.code == code), None)

    def buildings_in(self, grid_code: str) -> tuple[Building, ...]:
        """The buildings lying in the grid ``grid_code``."""
        return tuple(b for b in self.buildings if b.grid_code == grid_code)

    def check_community(self, community: Community) -> None:
        """Check the units against their community: the same code, and households in
        grids (when every grid's are known) not above the community's.

        Raises:
            InvalidEntityError: another community, or more households in the grids than
                in the community.
        """
        if not isinstance(community, Community):
            raise InvalidEntityError(
                "CommunityUnits", "community", type(community).__name__, "a Community"
            )
        if community.code != self.community_code:
            raise InvalidEntityError(
                "CommunityUnits",
                "community_code",
                self.community_code,
                f"the code of the community checked against ({community.code})",
            )
        known = [g.households for g in self.grids]
        if community.households is None or any(h is None for h in known):
            return
        total = sum(h for h in known if h is not None)
        if total > community.households:
            raise InvalidEntityError(
                "CommunityUnits",
                "grids.households",
                total,
                f"at most the community's {community.households} households in its grids",
            )

    def leaders(self) -> tuple[UnitLeader, ...]:
        """Every building and resident-group leader, in unit order."""
        units: tuple[Building | ResidentGroup, ...] = (*self.buildings, *self.resident_groups)
        return tuple(u.leader for u in units if u.leader is not None)
