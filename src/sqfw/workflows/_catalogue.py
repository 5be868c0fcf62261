"""A host's service catalogue: each service and its time limit (the plan sets none).

:func:`example_catalogue` is an example for trying the library out, not the plan's and
not any county's. Re-exported by :mod:`sqfw.workflows.ticket`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from sqfw.entities.ticket import Department

__all__ = ["ServiceCatalogue", "ServiceSpec", "example_catalogue"]


def _names(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(str(v) for v in value)


@attrs.frozen(kw_only=True)
class ServiceSpec:
    """One service of a catalogue and its time limit.

    Args:
        code: the service code (``ServiceTicket.service_code``).
        label_zh: the service's Chinese name.
        label_en: its English name.
        time_limit_working_days: working days from acceptance to completion.
        offices: the back offices that usually handle it.
    """

    code: str
    label_zh: str
    label_en: str
    time_limit_working_days: int
    offices: tuple[str, ...] = attrs.field(default=(), converter=_names)

    def __attrs_post_init__(self) -> None:
        limit = self.time_limit_working_days
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            raise ValueError(
                f"ServiceSpec.time_limit_working_days: expected an integer ≥ 1, got {limit!r}"
            )


def _specs(value: Iterable[ServiceSpec] | Mapping[str, ServiceSpec]) -> Mapping[str, ServiceSpec]:
    items = value.values() if isinstance(value, Mapping) else value
    specs: dict[str, ServiceSpec] = {}
    for spec in items:
        if spec.code in specs:
            raise ValueError(f"ServiceCatalogue: service {spec.code!r} listed twice")
        specs[spec.code] = spec
    return specs


@attrs.frozen(kw_only=True)
class ServiceCatalogue:
    """A host's catalogue of services with their time limits (the plan sets none).

    Args:
        name: the catalogue's name (kept in each ticket's trail).
        source: where the limits come from (a county's service list, a hotline's rules).
        services: the services, by code.
        is_example: marks a catalogue that is only an example.
    """

    name: str
    source: str
    services: Mapping[str, ServiceSpec] = attrs.field(converter=_specs)
    is_example: bool = False

    def get(self, code: str) -> ServiceSpec | None:
        """The service with this code, if listed."""
        return self.services.get(code)


def example_catalogue() -> ServiceCatalogue:
    """An EXAMPLE catalogue for trying the library out.

    示例目录：时限为演示而设，既非规划的规定，也非任何旗县的服务目录。/ The time limits are
    made up for demonstration: they are neither the plan's (it sets none) nor any county's.
    """
    d = Department
    return ServiceCatalogue(
        name="example",
        source=(
            "示例，非规划规定，请使用本地服务目录 / EXAMPLE only, not from the plan: "
            "use your county's service catalogue"
        ),
        is_example=True,
        services=[
            ServiceSpec(
                code="civil_affairs.minimum_living_allowance",
                label_zh="最低生活保障申请（示例）",
                label_en="minimum living allowance application (example)",
                time_limit_working_days=20,
                offices=(d.CIVIL_AFFAIRS.value,),
            ),
            ServiceSpec(
                code="hrss.pension_certification",
                label_zh="养老待遇资格认证（示例）",
                label_en="pension eligibility certification (example)",
                time_limit_working_days=5,
                offices=(d.HUMAN_RESOURCES_SOCIAL_SECURITY.value,),
            ),
            ServiceSpec(
                code="public_security.residence_certificate",
                label_zh="居住证明（示例）",
                label_en="residence certificate (example)",
                time_limit_working_days=3,
                offices=(d.PUBLIC_SECURITY.value,),
            ),
            ServiceSpec(
                code="family_planning.birth_registration",
                label_zh="生育登记（示例）",
                label_en="birth registration (example)",
                time_limit_working_days=5,
                offices=(d.FAMILY_PLANNING.value, d.PUBLIC_SECURITY.value),
            ),
            ServiceSpec(
                code="justice.legal_aid",
                label_zh="法律援助申请（示例）",
                label_en="legal aid application (example)",
                time_limit_working_days=7,
                offices=(d.JUSTICE.value,),
            ),
            ServiceSpec(
                code="general.consultation",
                label_zh="政策咨询（示例）",
                label_en="policy consultation (example)",
                time_limit_working_days=1,
            ),
        ],
    )
