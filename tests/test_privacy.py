"""§3.10: personal data never shows in repr, str, format, logs or the default export."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sqfw import IdentityNumber, InvalidEntityError, PersonalData, PersonName, PhoneNumber
from sqfw import testing as sqst
from sqfw.privacy import validate_credit_code
from sqfw.serialization import dump_document, dumps, make_converter

ANY_ENTITY = st.one_of(
    sqst.regions(max_items=2),
    sqst.committees(),
    sqst.elections(),
    sqst.volunteers(),
    sqst.workers(),
    sqst.organizations(),
    sqst.service_tickets(),
)


def personal_data(value: Any) -> Iterator[PersonalData]:
    """Every PersonalData value inside an entity, however deep."""
    if isinstance(value, PersonalData):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from personal_data(item)
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            yield from personal_data(getattr(value, field.name))


class TestNoLeaks:
    """Scan every rendering of generated entities for the revealed values."""

    @given(ANY_ENTITY)
    def test_nothing_revealed(self, entity: Any) -> None:
        secrets = [p.reveal() for p in personal_data(entity)]
        renderings = {
            "repr": repr(entity),
            "str": str(entity),
            "format": f"{entity}",
            "export": json.dumps(dump_document(entity), ensure_ascii=False),
            "dumps": dumps(entity),
        }
        for how, text in renderings.items():
            for secret in secrets:
                assert secret not in text, f"{how} shows personal data"

    @given(ANY_ENTITY)
    def test_opt_in_export_reveals_everything(self, entity: Any) -> None:
        text = dumps(entity, converter=make_converter(reveal_personal_data=True))
        for p in personal_data(entity):
            assert p.reveal() in text

    def test_logging_masks(self, caplog: pytest.LogCaptureFixture) -> None:
        phone = PhoneNumber("13800138000")
        with caplog.at_level(logging.INFO):
            logging.getLogger("sqfw.test").info("called %s / %r", phone, phone)
        assert "13800138000" not in caplog.text
        assert "138****8000" in caplog.text


class TestWrappers:
    """The wrappers validate, mask, compare by value and refuse masked text."""

    def test_identity_number_masked(self) -> None:
        n = IdentityNumber("11010519491231002x")
        assert n.reveal() == "11010519491231002X"
        assert repr(n) == "IdentityNumber('1101**********002X')"
        assert str(n) == "1101**********002X"
        assert f"{n:>20}" == "  1101**********002X"

    @pytest.mark.parametrize("bad", ["110105194912310021", "1101051949123100", "abc"])
    def test_identity_number_checked_by_stdnum(self, bad: str) -> None:
        with pytest.raises(ValueError, match="GB 11643") as caught:
            IdentityNumber(bad)
        if len(bad) > 8:
            assert bad not in str(caught.value)

    @given(sqst.identity_numbers())
    def test_generated_identity_numbers_valid(self, number: IdentityNumber) -> None:
        assert IdentityNumber(number.reveal()) == number

    @pytest.mark.parametrize(
        ("phone", "masked"),
        [
            ("13800138000", "138****8000"),
            ("0471-6612345", "047****2345"),
            ("6612345", "****345"),
            ("66123456", "****3456"),
        ],
    )
    def test_phone_masks_at_least_four_digits(self, phone: str, masked: str) -> None:
        assert PhoneNumber(phone).masked() == masked

    def test_phone_refuses_garbage(self) -> None:
        with pytest.raises(ValueError, match="7–15 digits"):
            PhoneNumber("12")

    def test_phone_strips_surrounding_space_but_not_inner_breaks(self) -> None:
        assert PhoneNumber(" 13800138000\n").reveal() == "13800138000"
        with pytest.raises(ValueError, match="7–15 digits"):
            PhoneNumber("138001\n38000")

    @pytest.mark.parametrize(("name", "masked"), [("张三", "张*"), ("巴特尔", "巴**"), ("A", "*")])
    def test_name_masks(self, name: str, masked: str) -> None:
        assert PersonName(name).masked() == masked

    def test_blank_name_refused(self) -> None:
        with pytest.raises(ValueError, match="1–64"):
            PersonName("   ")

    @pytest.mark.parametrize("cls", [PersonName, IdentityNumber, PhoneNumber])
    def test_masked_text_refused(self, cls: type[PersonalData]) -> None:
        with pytest.raises(ValueError, match="reveal_personal_data=True"):
            cls("138****8000")

    def test_equality_and_hash_by_value(self) -> None:
        assert PersonName("张三") == PersonName(" 张三 ")
        assert hash(PersonName("张三")) == hash(PersonName("张三"))
        assert PersonName("张三") != PersonName("张四")
        assert PersonName("张三") != "张三"

    def test_type_checked(self) -> None:
        with pytest.raises(
            InvalidEntityError, match=r"PersonName\.value: expected text, got <int>"
        ):
            PersonName(5)  # type: ignore[arg-type]

    @given(sqst.credit_codes())
    def test_generated_credit_codes_valid(self, code: str) -> None:
        assert validate_credit_code(code) == code

    def test_bad_credit_code(self) -> None:
        with pytest.raises(ValueError, match="GB 32100"):
            validate_credit_code("91110000600037341A")
