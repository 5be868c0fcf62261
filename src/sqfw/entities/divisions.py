"""Administrative divisions (行政区划) and their 12-digit statistical codes.

The plan speaks in five levels: 自治区 (region) → 盟/市 (league/city) → 旗/县/区/县级市
(banner, county, district, county-level city; "旗县市区") → 苏木/乡/镇/街道 (sumu, township,
town, street) → 社区/村/嘎查 (community, village, gacha).

A statistical division code (统计用区划代码) has 12 digits: 2 for the province-level
region, 2 for the prefecture, 2 for the county, 3 for the township and 3 for the
village level. Trailing zero groups mark a higher level, so a code says its own level and
its parent: ``150102001001`` is a community under street ``150102001000``, under district
``150102000000``, under city ``150100000000``, under the region ``150000000000``.

**Prefecture-level cities without counties** (不设区的地级市: 东莞 441900, 中山 442000,
儋州 460400 …) have their townships directly under the prefecture: the county group is
``00`` and the township group is set, as in ``441900003000`` (a town) and ``441900003001``
(a village in it). That is the one level a code may skip: the county level, below a
prefecture and above a township. Such a prefecture **stands in for its county**: the
county-level ancestor of ``441900003001`` is ``441900000000`` itself
(:func:`ancestor_code`), and tables by county list the city once more, as its own county.
Every other gap (a township under no prefecture, a village under no township) is refused.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from sqfw._args import expect_items
from sqfw._fields import explained, fail, text, to_text
from sqfw.errors import InvalidArgumentError
from sqfw.labels import LabeledEnum
from sqfw.limits import MAX_NAME_CHARS

__all__ = [
    "PROVINCES",
    "Division",
    "DivisionKind",
    "DivisionLevel",
    "ancestor_code",
    "ancestor_prefixes",
    "code_from_prefix",
    "code_pattern",
    "code_prefix",
    "contains",
    "division_code",
    "division_kind",
    "division_level",
    "parent_code",
    "prefix_length",
]


class DivisionLevel(enum.IntEnum):
    """The five levels of the division tree, from the region (1) down to communities (5)."""

    REGION = 1
    PREFECTURE = 2
    COUNTY = 3
    TOWNSHIP = 4
    VILLAGE = 5

    @classmethod
    def _missing_(cls, value: object) -> DivisionLevel:
        raise InvalidArgumentError(
            "DivisionLevel", value, "one of " + ", ".join(f"{m.value} ({m.name})" for m in cls)
        )

    @property
    def label_zh(self) -> str:
        return _LEVEL_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _LEVEL_LABELS[self][1]


_LEVEL_LABELS = {
    DivisionLevel.REGION: ("省级(自治区)", "province-level region"),
    DivisionLevel.PREFECTURE: ("地级(盟/市)", "prefecture level (league/city)"),
    DivisionLevel.COUNTY: ("县级(旗/县/区/县级市)", "county level (banner/county/district)"),
    DivisionLevel.TOWNSHIP: ("乡级(苏木/乡/镇/街道)", "township level (sumu/township/town/street)"),
    DivisionLevel.VILLAGE: ("村级(社区/村/嘎查)", "village level (community/village/gacha)"),
}

# digits that end each level's part of the code
_LEVEL_END = {
    DivisionLevel.REGION: 2,
    DivisionLevel.PREFECTURE: 4,
    DivisionLevel.COUNTY: 6,
    DivisionLevel.TOWNSHIP: 9,
    DivisionLevel.VILLAGE: 12,
}


_DIGITS = re.compile(r"[0-9]{12}")  # ASCII digits only; the levels are checked after


class DivisionKind(LabeledEnum):
    """What a division is called, which fixes its level."""

    AUTONOMOUS_REGION = "autonomous_region"
    PROVINCE = "province"
    MUNICIPALITY = "municipality"
    LEAGUE = "league"
    PREFECTURE_CITY = "prefecture_city"
    BANNER = "banner"
    AUTONOMOUS_BANNER = "autonomous_banner"
    COUNTY = "county"
    DISTRICT = "district"
    COUNTY_CITY = "county_city"
    SUMU = "sumu"
    TOWNSHIP = "township"
    TOWN = "town"
    STREET = "street"
    COMMUNITY = "community"
    VILLAGE = "village"
    GACHA = "gacha"

    __labels__ = {
        "autonomous_region": ("自治区", "autonomous region"),
        "province": ("省", "province"),
        "municipality": ("直辖市", "municipality"),
        "league": ("盟", "league"),
        "prefecture_city": ("地级市", "prefecture-level city"),
        "banner": ("旗", "banner"),
        "autonomous_banner": ("自治旗", "autonomous banner"),
        "county": ("县", "county"),
        "district": ("市辖区", "district"),
        "county_city": ("县级市", "county-level city"),
        "sumu": ("苏木", "sumu"),
        "township": ("乡", "township"),
        "town": ("镇", "town"),
        "street": ("街道", "street (subdistrict)"),
        "community": ("社区", "community"),
        "village": ("村", "village"),
        "gacha": ("嘎查", "gacha"),
    }

    @property
    def level(self) -> DivisionLevel:
        """The level this kind of division sits at."""
        return _KIND_LEVEL[self]


_KIND_LEVEL = {
    DivisionKind.AUTONOMOUS_REGION: DivisionLevel.REGION,
    DivisionKind.PROVINCE: DivisionLevel.REGION,
    DivisionKind.MUNICIPALITY: DivisionLevel.REGION,
    DivisionKind.LEAGUE: DivisionLevel.PREFECTURE,
    DivisionKind.PREFECTURE_CITY: DivisionLevel.PREFECTURE,
    DivisionKind.BANNER: DivisionLevel.COUNTY,
    DivisionKind.AUTONOMOUS_BANNER: DivisionLevel.COUNTY,
    DivisionKind.COUNTY: DivisionLevel.COUNTY,
    DivisionKind.DISTRICT: DivisionLevel.COUNTY,
    DivisionKind.COUNTY_CITY: DivisionLevel.COUNTY,
    DivisionKind.SUMU: DivisionLevel.TOWNSHIP,
    DivisionKind.TOWNSHIP: DivisionLevel.TOWNSHIP,
    DivisionKind.TOWN: DivisionLevel.TOWNSHIP,
    DivisionKind.STREET: DivisionLevel.TOWNSHIP,
    DivisionKind.COMMUNITY: DivisionLevel.VILLAGE,
    DivisionKind.VILLAGE: DivisionLevel.VILLAGE,
    DivisionKind.GACHA: DivisionLevel.VILLAGE,
}


_NAME_SUFFIXES: dict[DivisionLevel, tuple[tuple[str, DivisionKind], ...]] = {
    DivisionLevel.REGION: (
        ("自治区", DivisionKind.AUTONOMOUS_REGION),
        ("省", DivisionKind.PROVINCE),
        ("市", DivisionKind.MUNICIPALITY),
    ),
    DivisionLevel.PREFECTURE: (("盟", DivisionKind.LEAGUE), ("市", DivisionKind.PREFECTURE_CITY)),
    DivisionLevel.COUNTY: (
        ("自治旗", DivisionKind.AUTONOMOUS_BANNER),
        ("旗", DivisionKind.BANNER),
        ("区", DivisionKind.DISTRICT),
        ("县", DivisionKind.COUNTY),
        ("市", DivisionKind.COUNTY_CITY),
    ),
    DivisionLevel.TOWNSHIP: (
        ("街道", DivisionKind.STREET),
        ("街道办事处", DivisionKind.STREET),
        ("苏木", DivisionKind.SUMU),
        ("镇", DivisionKind.TOWN),
        ("乡", DivisionKind.TOWNSHIP),
    ),
}
"""The endings of a division's name that say its kind, in the order they are tried."""

PROVINCES: Mapping[str, str] = MappingProxyType(
    {
        f"{prefix}0000000000": name
        for prefix, name in (
            ("11", "北京市"), ("12", "天津市"), ("13", "河北省"), ("14", "山西省"),
            ("15", "内蒙古自治区"), ("21", "辽宁省"), ("22", "吉林省"), ("23", "黑龙江省"),
            ("31", "上海市"), ("32", "江苏省"), ("33", "浙江省"), ("34", "安徽省"),
            ("35", "福建省"), ("36", "江西省"), ("37", "山东省"), ("41", "河南省"),
            ("42", "湖北省"), ("43", "湖南省"), ("44", "广东省"), ("45", "广西壮族自治区"),
            ("46", "海南省"), ("50", "重庆市"), ("51", "四川省"), ("52", "贵州省"),
            ("53", "云南省"), ("54", "西藏自治区"), ("61", "陕西省"), ("62", "甘肃省"),
            ("63", "青海省"), ("64", "宁夏回族自治区"), ("65", "新疆维吾尔自治区"),
        )
    }
)  # fmt: skip
"""The 31 province-level divisions of the mainland by their 12-digit code (GB/T 2260's
first two digits): their names, whose endings say their kind (省, 自治区, 直辖市 …市)
through :func:`division_kind`. A table of communities names its root from here.

.. versionadded:: 0.1.0
"""

_TOWNSHIP_NUMBERS: tuple[tuple[int, DivisionKind], ...] = (
    (99, DivisionKind.STREET),
    (199, DivisionKind.TOWN),
)
"""GB/T 10114-2003's ranges of a township's three digits: 001–099 streets, 100–199 towns
(200–399 乡 and 苏木, 400–599 bodies like townships: the code does not tell them apart)."""

_KIND_BY_LEVEL = {
    DivisionLevel.REGION: DivisionKind.PROVINCE,
    DivisionLevel.PREFECTURE: DivisionKind.PREFECTURE_CITY,
    DivisionLevel.COUNTY: DivisionKind.COUNTY,
    DivisionLevel.TOWNSHIP: DivisionKind.TOWNSHIP,
    DivisionLevel.VILLAGE: DivisionKind.COMMUNITY,
}
"""The kind of a division whose name and code do not say more than its level."""


def division_kind(code: str, name: str | None = None) -> DivisionKind:
    """The kind of the division ``code`` named ``name``: the one rule that reads it.

    The name says it first, by its ending (``…街道`` a street, ``…苏木`` a sumu, ``…镇`` a
    town, ``…乡`` a township; ``…盟`` a league; ``…自治旗``, ``…旗``, ``…区``, ``…县``,
    ``…市`` at county level). A township's name that does not say is read from its code's
    three township digits, numbered by GB/T 10114-2003: 001–099 a street, 100–199 a town.
    Otherwise the kind is the plain one of the code's level (a province, a prefecture-level
    city, a county, a township). No other fact decides a kind: a 苏木 or 镇 that reports a
    street public service hall stays a 苏木 or 镇.

    Args:
        code: the division's 12-digit code (its level is read from it).
        name: the division's name, or ``None`` when only the code is known.

    Returns:
        A :class:`DivisionKind` at the code's level.

    Raises:
        TypeError, ValueError: ``code`` is not a valid division code.

    .. versionadded:: 0.1.0
    """
    level = division_level(code)
    text = (name or "").strip()
    for suffix, kind in _NAME_SUFFIXES.get(level, ()):
        if text.endswith(suffix):
            return kind
    if level is DivisionLevel.TOWNSHIP:
        number = int(code[_LEVEL_END[DivisionLevel.COUNTY] : _LEVEL_END[DivisionLevel.TOWNSHIP]])
        for top, kind in _TOWNSHIP_NUMBERS:
            if number <= top:
                return kind
    return _KIND_BY_LEVEL[level]


_EXPECTED_CODE = "a 12-digit statistical division code"


def division_level(code: str) -> DivisionLevel:
    """The level a 12-digit code stands for, read from its trailing zero groups.

    Raises:
        InvalidArgumentError: the code is not a ``str`` of 12 ASCII digits, or a lower level
            is set under a zero level (``150000001000`` names a township under no county).
    """
    if not isinstance(code, str):
        raise InvalidArgumentError("code", code, f"{_EXPECTED_CODE} as str")
    return _level_of(code)


@functools.lru_cache(maxsize=256)  # an entity's validators ask about the same code in turn
def _level_of(code: str) -> DivisionLevel:
    if len(code) != _CODE_LENGTH or not code.isascii() or not code.isdigit() or code[0] == "0":
        raise InvalidArgumentError("code", code, _EXPECTED_CODE)
    # which of the prefecture, county, township and village groups are set
    groups = tuple([code[start:end] != zeros for start, end, zeros in _GROUPS])
    level = _LEVEL_OF_GROUPS.get(groups)
    if level is None:  # a level skipped: the rule below says where
        return _level_of_groups(code, groups)
    return level


def _level_of_groups(code: str, groups: tuple[bool, ...]) -> DivisionLevel:
    """The level of a code whose groups of digits are set as ``groups`` say (the rule)."""
    if all(groups):  # most codes read are communities' or villages'
        return _LEVELS[len(_GROUPS)]
    if not any(groups):
        return DivisionLevel.REGION
    last = max(i for i, is_set in enumerate(groups) if is_set)
    for i in range(last):
        if not groups[i] and not _skipped(groups, i):
            end = _GROUPS[groups.index(True, i)][1]
            raise InvalidArgumentError(
                "code",
                code,
                f"{_EXPECTED_CODE} with every level above its own set "
                f"(this one skips a level before position {end})",
            )
    return _LEVELS[last + 1]


def _skipped(groups: tuple[bool, ...], index: int) -> bool:
    """Whether the unset group at ``index`` is a county level a code may skip."""
    return _LEVELS[index + 1] is _SKIPPABLE and groups[index - 1] and groups[index + 1]


_SKIPPABLE = DivisionLevel.COUNTY
"""The one level a code may leave out: below a prefecture without counties."""
_CODE_LENGTH = _LEVEL_END[DivisionLevel.VILLAGE]
_LEVELS = tuple(DivisionLevel)
_GROUPS = tuple(
    (_LEVEL_END[above], _LEVEL_END[level], "0" * (_LEVEL_END[level] - _LEVEL_END[above]))
    for above, level in itertools.pairwise(DivisionLevel)
)
"""Below the region, each level's group of digits: (start, end, the group when unset)."""


def _levels_of_groups() -> dict[tuple[bool, ...], DivisionLevel]:
    """Each pattern of set groups that names a level, read once by the rule itself."""
    table = {}
    for groups in itertools.product((False, True), repeat=len(_GROUPS)):
        try:
            table[groups] = _level_of_groups("", groups)
        except InvalidArgumentError:
            continue  # a level skipped: such a code is refused by the rule, with its message
    return table


_LEVEL_OF_GROUPS = _levels_of_groups()
"""The level of each valid pattern of set groups (a code's level is looked up by its own)."""


def prefix_length(level: DivisionLevel) -> int:
    """How many leading digits name a division at ``level``: 2, 4, 6, 9 or 12.

    ``code_prefix(code)`` is ``code[:prefix_length(division_level(code))]``.

    .. versionadded:: 0.1.0
    """
    return _LEVEL_END[DivisionLevel(level)]


def _level_argument(argument: str, value: object) -> DivisionLevel:
    """``value`` as a level (a member or its number), or an InvalidArgumentError."""
    if isinstance(value, int) and not isinstance(value, bool):
        return DivisionLevel(value)  # a number of no level: DivisionLevel._missing_ refuses it
    raise InvalidArgumentError(argument, value, "a DivisionLevel (1–5)")


def code_pattern(level: DivisionLevel | None = None) -> str:
    """A regular expression of exactly the codes :func:`division_level` accepts.

    Anchored (``^…$``) and written with plain character classes and groups only, so that
    it reads the same in a JSON Schema ``pattern`` (ECMA-262, RE2) as in Python. Match it
    with :func:`re.fullmatch`: in Python ``$`` also matches before a final newline.

    Args:
        level: only the codes at this level; ``None`` for codes at any level.

    Raises:
        InvalidArgumentError: ``level`` is not a level.

    .. versionadded:: 0.1.0
    """
    return _code_pattern(None if level is None else _level_argument("level", level))


@functools.cache
def _code_pattern(level: DivisionLevel | None) -> str:
    region = _LEVEL_END[DivisionLevel.REGION]
    head = "[1-9]" + "[0-9]" * (region - 1)
    if level is not None:
        body = ""
        for (start, end, _), below in zip(_GROUPS, _LEVELS[1:], strict=True):
            if below > DivisionLevel(level):
                break
            group = _set_group(end - start)
            if below is _SKIPPABLE and DivisionLevel(level) > below:
                group = f"(?:{group}|{_zeros(end - start)})"
            body += group
        return f"^{head}{body}{_zeros(_CODE_LENGTH - prefix_length(level))}$"
    # each level either stops (zeros to the end) or sets its group and goes on; the
    # skippable level may also be zeros when the level below it is set
    tail = go_on = ""  # what may follow a group; the same, when the next group is set
    for (start, end, _), below in reversed(list(zip(_GROUPS, _LEVELS[1:], strict=True))):
        width = end - start
        branches = [_zeros(_CODE_LENGTH - start), _set_group(width) + tail]
        if below is _SKIPPABLE:
            branches.append(_zeros(width) + go_on)
        go_on = _set_group(width) + tail
        tail = "(?:" + "|".join(branches) + ")"
    return "^" + head + tail + "$"


def _set_group(width: int) -> str:
    """A group of ``width`` digits that are not all zero."""
    return (
        "(?:" + "|".join(_zeros(k) + "[1-9]" + _digits(width - k - 1) for k in range(width)) + ")"
    )


def _zeros(width: int) -> str:
    return "0" * width if width < 3 else f"0{{{width}}}"


def _digits(width: int) -> str:
    return "[0-9]" * width if width < 2 else f"[0-9]{{{width}}}"


def parent_code(code: str) -> str | None:
    """The code of the division one level up (``None`` for a region)."""
    level = division_level(code)
    if level is DivisionLevel.REGION:
        return None
    keep = _LEVEL_END[DivisionLevel(level - 1)]
    return code[:keep].ljust(_CODE_LENGTH, "0")


def ancestor_code(code: str, level: DivisionLevel) -> str:
    """The code of the division at ``level`` that contains ``code`` (or ``code`` itself).

    For a code under a prefecture without counties, the county-level ancestor is the
    prefecture, which stands in for its county: ``ancestor_code("441900003001", COUNTY)``
    is ``"441900000000"``.
    """
    own = division_level(code)
    if level > own:
        raise InvalidArgumentError(
            "level",
            getattr(level, "name", level),
            f"a level at or above {own.name}, as {code!r} is at level {own.name}",
        )
    keep = _LEVEL_END[level]
    return code[:keep].ljust(_CODE_LENGTH, "0")


def code_prefix(code: str) -> str:
    """The digits of ``code`` that name its division: ``"1501"`` for ``"150100000000"``.

    Every code below the division starts with this prefix, and no other code does.

    Raises:
        InvalidArgumentError: as :func:`division_level`.
    """
    return code[: _LEVEL_END[division_level(code)]]


def contains(place: str, code: str) -> bool:
    """Whether the division ``code`` is ``place`` or lies within it.

    ``contains("150110000000", "150111001001")`` is ``False``: 150110 and 150111 are two
    counties, although both codes start with ``15011``.

    Raises:
        InvalidArgumentError: either code is not a valid division code.
    """
    division_level(code)
    return code.startswith(code_prefix(place))


def code_from_prefix(prefix: str) -> str:
    """The code of the division whose digits are ``prefix``: the inverse of :func:`code_prefix`.

    ``code_from_prefix("1501")`` is ``"150100000000"``.

    Raises:
        InvalidArgumentError: ``prefix`` is not the prefix of a division code (``"15010"``).

    .. versionadded:: 0.1.0
    """
    expected = "the leading digits of a division code"
    if not isinstance(prefix, str):
        raise InvalidArgumentError("prefix", prefix, expected)
    code = prefix.ljust(_CODE_LENGTH, "0")
    try:
        valid = code_prefix(code) == prefix
    except InvalidArgumentError:
        valid = False
    if not valid:
        raise InvalidArgumentError("prefix", prefix, expected)
    return code


def ancestor_prefixes(codes: Iterable[str], level: DivisionLevel) -> list[str]:
    """For each code, the prefix of its division at ``level``, in one pass over a column.

    Each answer is ``code_prefix(ancestor_code(code, level))``, for the bulk readers of
    tables: the codes must already be known valid and at or below ``level`` (read with
    :func:`division_level` or matched by :func:`code_pattern`); they are not checked again.

    Raises:
        InvalidArgumentError: ``codes`` is not an iterable of text, or ``level`` not a level.

    .. versionadded:: 0.1.0
    """
    level = _level_argument("level", level)
    cut = _LEVEL_END[level]
    prefixes = [code[:cut] for code in expect_items("codes", codes, str)]
    if level is not _SKIPPABLE:
        return prefixes
    above = _LEVEL_END[DivisionLevel(level - 1)]
    unset = _GROUPS[level - 2][2]  # the group of the skippable level, unset
    # where the group is unset, the prefecture stands in: its shorter prefix
    return [p[:above] if p.endswith(unset) else p for p in prefixes]


def _kind_matches_code(instance: Division, attribute: attrs.Attribute[Any], value: object) -> None:
    try:
        level = division_level(instance.code)
    except ValueError:
        return  # the code's own validator reports it
    if isinstance(value, DivisionKind) and value.level is not level:
        fail(
            instance,
            attribute,
            value.value,
            f"a kind at {level.name} level, the level of code {instance.code}",
        )


def division_code(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: ``value`` is a valid statistical division code at any level."""
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        fail(instance, attribute, value, "a 12-digit statistical division code")
        return
    try:
        division_level(value)
    except ValueError:  # a level skipped: what came is shown after "got"
        fail(
            instance,
            attribute,
            value,
            "a 12-digit statistical division code whose levels do not skip (a village code "
            "needs its township's digits)",
        )


def village_code(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: ``value`` is the code of a community (社区) or village (村/嘎查)."""
    expected = "a 12-digit division code of a community or village"
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        fail(instance, attribute, value, expected)
        return
    try:
        level = division_level(value)
    except ValueError:  # skips a level, or no such code: the message says what came
        fail(instance, attribute, value, expected)
        return
    if level is not DivisionLevel.VILLAGE:
        fail(instance, attribute, value, "a community/village-level code (last three digits ≠ 000)")


def _only_at(
    *levels: DivisionLevel,
) -> Callable[[Division, attrs.Attribute[Any], object], None]:
    names = " or ".join(level.name for level in levels)

    def check(instance: Division, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None:
            return
        own = _level_or_none(instance.code)
        if own is not None and own not in levels:
            fail(instance, attribute, value, f"None for a division not at {names} level")

    return check


def _level_or_none(code: str) -> DivisionLevel | None:
    try:
        return division_level(code)
    except ValueError:
        return None


@attrs.frozen(kw_only=True, field_transformer=explained)
class Division:
    """One administrative division: a code, a name and a kind.

    The level and the parent are read from the code, never stored twice.

    Attributes:
        code: the 12-digit statistical division code.
        name: the official name, e.g. ``"新城区"``.
        kind: a :class:`DivisionKind` at the code's level.
        public_service_hall: for a street (or township): it has a street public service
            hall (§2.10, §2.11); ``None`` when unknown or not applicable.
        meets_pay_requirements: for a banner/county/district, or a prefecture-level city
            (which stands in for its county when it has none): it meets the pay rules for
            community workers of 内政办字[2012]264号 (§5.1, §5.2); ``None`` when unknown.

    Raises:
        InvalidEntityError: malformed code, blank name, a kind at another level, or a
            level-specific fact given at the wrong level.
    """

    code: str = attrs.field(validator=division_code)
    name: str = attrs.field(converter=to_text, validator=text(MAX_NAME_CHARS))
    kind: DivisionKind = attrs.field(converter=DivisionKind, validator=_kind_matches_code)
    public_service_hall: bool | None = attrs.field(
        default=None, validator=_only_at(DivisionLevel.TOWNSHIP)
    )
    meets_pay_requirements: bool | None = attrs.field(
        default=None, validator=_only_at(DivisionLevel.COUNTY, DivisionLevel.PREFECTURE)
    )

    @property
    def level(self) -> DivisionLevel:
        """The division's level, read from its code."""
        return division_level(self.code)

    @property
    def parent_code(self) -> str | None:
        """The code of the division that contains this one."""
        return parent_code(self.code)
