"""The one error tree of sqfw.

Every exception sqfw raises on purpose is a :class:`SqfwError`. Each one also derives
from the closest built-in exception, so code that already catches ``ValueError`` or
``LookupError`` keeps working, and each carries the context a caller needs as
attributes (what was expected, what came, and where). What came is shown cut to
:data:`~sqfw.limits.MAX_SHOWN_CHARS` characters, and masked wherever it looks like personal
data (an identity number, a phone number, a credit code), whatever field it was typed
into; a message lists at most :data:`~sqfw.limits.MAX_LISTED_PROBLEMS` problems::

    SqfwError
    ├── InvalidEntityError            (ValueError)   an entity refused at construction
    │   └── UnsafeTextError                           text with a control, bidi, zero-width or format character
    ├── InvalidArgumentError          (ValueError, TypeError)  an argument or option refused
    │   └── UnknownDocumentKind       (LookupError)  no document of that kind (json_schema)
    ├── NotFoundError                 (KeyError)     no target, place, community, norm … with that key
    ├── MissingFileError              (FileNotFoundError)  no file at the path given to read
    ├── ProblemsError                 (ValueError)   several problems, each with its place
    │   ├── DocumentError                            a document that cannot be loaded; lists every problem
    │   └── DataLoadError                            rows of a table that could not be read
    ├── StandardsError                (ValueError)   a malformed standards file or override
    │   └── CatalogueError                           a malformed dispatch catalogue
    ├── ParameterNotFoundError        (LookupError)  no parameter with that id
    ├── NotInForceError               (LookupError)  the parameter has no value on that date
    │   └── ValueNotSupplied                          the source gives no value: the user supplies it
    ├── PlanNotFound                  (LookupError)  no plan with that id, or none in force then and there
    ├── CalendarError                 (LookupError)  the official working-day schedule of a year is unknown
    │   └── ScheduleError             (ValueError)   a host's official schedule of a year refused
    ├── RegisterError                 (LookupError)  a register record that is not there, or an id twice
    ├── UnknownProject                (LookupError)  a project id not in the pipeline
    ├── RegistryMismatch              (ValueError)   a community's stated volunteer count differs from its registry
    ├── CertificateRefused            (ValueError)   a volunteer certificate asked of records it cannot rest on
    ├── OutputError                   (OSError)      a file or stream that could not be written
    ├── WorkflowError
    │   ├── Refusal                   (ValueError)   a machine validator's reasons (collected into TransitionRefused)
    │   ├── WorkflowInputError        (ValueError, TypeError)  an event's time, actor, reason or data refused
    │   ├── TransitionRefused         (ValueError)   an event refused in the record's state, with every reason
    │   ├── TrailBroken               (ValueError)   a record that does not follow from its hash-chained trail
    │   └── ConcurrencyConflict       (RuntimeError) the record changed since the caller read it
    └── StoreError                    (RuntimeError) a store whose database cannot be used as it is
        └── RecordNotFound            (LookupError)  no stored record with that workflow and id

Invalid data is an error; a community that does not meet the plan is *not*: that is a
finding, reported by the calculators as a result.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from decimal import Decimal

import attrs

from sqfw._masks import redact
from sqfw.limits import MAX_LISTED_PROBLEMS, MAX_SHOWN_CHARS

__all__ = [
    "CalendarError",
    "CatalogueError",
    "CertificateRefused",
    "ConcurrencyConflict",
    "DataLoadError",
    "DocumentError",
    "InvalidArgumentError",
    "InvalidEntityError",
    "MissingFileError",
    "NotFoundError",
    "NotInForceError",
    "OutputError",
    "ParameterNotFoundError",
    "PlanNotFound",
    "Problem",
    "ProblemsError",
    "RecordNotFound",
    "Refusal",
    "RegisterError",
    "RegistryMismatch",
    "ScheduleError",
    "SqfwError",
    "SqfwWarning",
    "StandardsError",
    "StoreError",
    "TrailBroken",
    "TrailProblem",
    "TransitionRefused",
    "UnknownDocumentKind",
    "UnknownProject",
    "UnsafeTextError",
    "ValueNotSupplied",
    "WorkflowError",
    "WorkflowInputError",
    "shorten",
    "show_value",
]


class SqfwError(Exception):
    """Base class of every error raised by sqfw on purpose."""


class InvalidEntityError(SqfwError, ValueError):
    """An entity was given data it cannot hold.

    Attributes:
        entity: the class name, e.g. ``"Facility"``.
        field: the field (or comma-separated fields) at fault.
        value: the value that came (the message shows it cut short and masked).
        expected: what the field accepts, in words; for an enumeration, its values.
    """

    def __init__(self, entity: str, field: str, value: object, expected: str) -> None:
        self.entity = entity
        self.field = field
        self.value = value
        self.expected = expected
        super().__init__(f"{entity}.{field}: expected {expected}, got {show_value(value)}")


class _Described(str):
    """What a message says of a refused text: a description, shown as is, never quoted."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


class UnsafeTextError(InvalidEntityError):
    """Text that names something holds a character that is not text: a control character
    (NUL …), a bidi override or isolate, a zero-width character, a byte order mark or
    another format character (see :mod:`sqfw._text`, the one rule).

    The message names the field, the position and the code point, never the text (a name
    may be personal data).

    Attributes:
        entity: what holds the field (an entity's class name, ``"table row"``, ``"store"``).
        field: the field.
        index: the refused character's position in the text, counted from 1.
        code_point: ``"U+202E"``.
        name: the character's Unicode name.

    .. versionadded:: 0.1.0
    """

    def __init__(self, entity: str, field: str, index: int, code_point: str, name: str) -> None:
        self.index = index
        self.code_point = code_point
        self.name = name
        super().__init__(
            entity,
            field,
            _Described(f"character {index} is {code_point} {name}"),
            "text without control, bidi, zero-width or other format characters",
        )


def shorten(text: str, limit: int = MAX_SHOWN_CHARS) -> str:
    """``text`` masked where it looks like personal data, and cut to ``limit`` characters.

    A cut text ends with ``…`` and says how long it was: ``'aaaa… (2,500 characters)'``;
    a lone surrogate is shown as its escape (``\\ud800``), so the message can be printed.

    .. versionadded:: 0.1.0
    """
    shown = text[:limit]
    if not shown.isascii():  # lone surrogates as escapes: a message must always print
        shown = shown.encode("utf-8", "backslashreplace").decode("utf-8")
    if len(text) > limit:
        return redact(shown) + f"… ({len(text):,} characters)"
    return redact(shown)


def show_value(value: object) -> str:
    """Render a rejected value for a message: numbers plainly, everything else by repr.

    Bounded and masked (see :func:`shorten`); a huge integer is described by its size
    rather than converted to text.
    """
    if isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        if value.bit_length() > 4 * MAX_SHOWN_CHARS:
            digits = int(value.bit_length() * math.log10(2)) + 1
            return f"an integer of about {digits:,} digits"
        return shorten(str(value))
    if isinstance(value, Decimal | float):
        return shorten(str(value))
    if isinstance(value, datetime.date):  # dates and date-times as ISO text
        return shorten(value.isoformat())
    if type(value) is str:  # a subclass may say how it is shown, by its repr
        cut = value[:MAX_SHOWN_CHARS]
        shown = shorten(cut)
        text = repr(shown) if shown == cut else f"'{shown}'"
        if len(value) > len(cut):
            text = f"{text[:-1]}…{text[-1]} ({len(value):,} characters)"
        return text
    try:
        text = repr(value)
    except Exception:  # a broken __repr__ must not hide the error being reported
        text = f"<{type(value).__name__}>"
    return shorten(text)


@attrs.frozen
class Problem:
    """One problem and its place: a ``$.path``, ``file:row R:column C`` or a key path.

    Attributes:
        path: where, e.g. ``$.communities[3].facilities[0].total_area_m2`` in a document
            or ``region.csv:row 7:column 户数`` in a table.
        message: what was expected and what came.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ProblemsError(SqfwError, ValueError):
    """Several problems, each with its place; the base of document and table errors.

    The message lists the first :data:`~sqfw.limits.MAX_LISTED_PROBLEMS` and counts the
    rest; ``problems`` holds every one.

    Attributes:
        problems: every :class:`Problem` found, in order.
        source: where the input came from (a file name), if known.

    .. versionadded:: 0.1.0
    """

    def __init__(self, problems: Sequence[Problem], *, source: str | None = None) -> None:
        self.problems = tuple(problems)
        self.source = source
        where = f" in {shorten(source, 200)}" if source else ""
        listed = self.problems[:MAX_LISTED_PROBLEMS]
        lines = "\n".join(f"  {shorten(str(p), 300)}" for p in listed)
        count = len(self.problems)
        if count > len(listed):
            lines += f"\n  … and {count - len(listed):,} more"
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{count:,} {noun}{where}:\n{lines}")


class DocumentError(ProblemsError):
    """A document could not be structured; ``problems`` lists every problem with its path.

    Attributes:
        problems: every :class:`Problem` found, in document order.
        source: where the document came from (a file name), if known.
    """


class StandardsError(SqfwError, ValueError):
    """A standards file, parameter or override is malformed.

    Attributes:
        source: the file (or ``"<overrides>"``) at fault.
        key_path: the dotted key path inside it.
        problem: what is wrong.
    """

    def __init__(self, source: str, key_path: str, problem: str) -> None:
        self.source = source
        self.key_path = key_path
        self.problem = problem
        super().__init__(f"{source}: {key_path}: {problem}")


class CatalogueError(StandardsError):
    """A dispatch catalogue file or value is malformed (file, key path, problem).

    Also importable from :mod:`sqfw.workflows.ticket`, where the catalogue lives.

    .. versionadded:: 0.1.0
    """


class ParameterNotFoundError(SqfwError, LookupError):
    """No parameter has this id in the standards set.

    Attributes:
        parameter_id: the dotted id asked for.
    """

    def __init__(self, parameter_id: str, hint: str = "") -> None:
        self.parameter_id = parameter_id
        super().__init__(f"no parameter {parameter_id!r}" + (f"; {hint}" if hint else ""))


class NotInForceError(SqfwError, LookupError):
    """The parameter exists but no value of it is in force on the date asked for.

    Attributes:
        parameter_id: the dotted id.
        on: the date asked for (ISO text).
        periods: the periods in which the parameter has values, as text.
    """

    def __init__(self, parameter_id: str, on: str, periods: str) -> None:
        self.parameter_id = parameter_id
        self.on = on
        self.periods = periods
        super().__init__(f"{parameter_id!r} has no value in force on {on}; it has values {periods}")


class ValueNotSupplied(NotInForceError):
    """The source names the parameter but gives no value: the user must supply it.

    A plan's indicator whose figure sqfw's sources do not give is such a parameter; a
    target that reads it is reported as "value not supplied", never met, until an override
    or the user's own plan supplies the value.

    Attributes:
        parameter_id: the dotted id.
        on: the date asked for (ISO text).
        periods: the periods in which the parameter has values, as text ("none").
    """

    def __init__(self, parameter_id: str, on: str, periods: str) -> None:
        super().__init__(parameter_id, on, periods)
        self.args = (
            f"{parameter_id!r} must be supplied by the user (an override or their own plan): "
            f"the source gives no value; on {on} it has values {periods}",
        )


class PlanNotFound(SqfwError, LookupError):
    """No plan has this id, or no bundled plan is in force on the date for the place.

    Attributes:
        what: the id or date asked for.
        plans: the plans there are, each with its period and jurisdiction, as text.
    """

    def __init__(self, message: str, what: str, plans: str) -> None:
        self.what = what
        self.plans = plans
        super().__init__(f"{message}; the plans are: {plans}")


class CalendarError(SqfwError, LookupError):
    """The official working-day schedule of a year is not known.

    Attributes:
        year: the year asked for.
    """

    def __init__(self, year: int, message: str) -> None:
        self.year = year
        super().__init__(message)


class ScheduleError(CalendarError, ValueError):
    """A year's official holiday schedule added by the host was refused.

    The message names the file or year, the day and the rule it breaks (a make-up working
    day on a weekday, a day off that is a plain working day, the notice not cited).

    Attributes:
        year: the year of the schedule (0 when the file did not say).

    .. versionadded:: 0.1.0
    """


class RegisterError(SqfwError, LookupError):
    """A register operation on a record that is not there, or twice the same id.

    Also importable from :mod:`sqfw.population`, where the register lives.

    Attributes:
        where: the operation and field (``"read_full.registration_id"``).
        expected: what was expected, in words.
        got: what came (an id; never personal data).

    .. versionadded:: 0.1.0
    """

    def __init__(self, where: str, expected: str, got: str) -> None:
        self.where = where
        self.expected = expected
        self.got = got[:80]
        super().__init__(f"{where}: expected {expected}, got {self.got!r}")


class UnknownProject(SqfwError, LookupError):
    """A project id that is not in the pipeline, or a project for a community not in the data.

    Also importable from :mod:`sqfw.analysis`, where the pipeline lives.

    Attributes:
        where: what was being looked up (``"delays"``, ``"slippage"``, ``"community_code"``).
        got: the id or code that came.
        expected: what was expected, in words.

    .. versionadded:: 0.1.0
    """

    def __init__(self, where: str, got: str, expected: str) -> None:
        self.where = where
        self.got = got
        self.expected = expected
        super().__init__(f"{where}: expected {expected}, got {got[:80]!r}")


class RegistryMismatch(SqfwError, ValueError):
    """A community's stated count of registered volunteers differs from its registry.

    Raised by :func:`~sqfw.entities.with_registry_counts` when a community states a
    ``registered_volunteers`` figure and the region's volunteer registry counts another
    one (§5.11): the two cannot both be true, and neither is silently preferred.

    Attributes:
        community_code: the community.
        stated: the figure the community states.
        counted: the figure its registry gives.

    .. versionadded:: 0.1.0
    """

    def __init__(self, community_code: str, stated: int, counted: int) -> None:
        self.community_code = shorten(str(community_code), 40)
        self.stated = stated
        self.counted = counted
        super().__init__(
            f"community {self.community_code}: registered_volunteers: expected the registry's "
            f"count {counted}, got {stated} (pass replace=True to use the registry's)"
        )


class CertificateRefused(SqfwError, ValueError):
    """A volunteer service certificate asked of records it cannot rest on.

    A certificate is issued by the organisation that recorded the service, for one
    volunteer, from that organisation's records of them (谁记录谁证明, 民政部令第67号).

    Attributes:
        where: the record or argument at fault (``"records[2]"``).
        expected: what was expected, in words.
        got: what came (an id; never personal data), cut short.

    .. versionadded:: 0.1.0
    """

    def __init__(self, where: str, expected: str, got: object) -> None:
        self.where = where
        self.expected = expected
        self.got = show_value(got)
        super().__init__(f"{where}: expected {expected}, got {self.got}")


class DataLoadError(ProblemsError):
    """Rows of a table could not be read; ``problems`` lists each with file, row and column.

    Attributes:
        problems: every :class:`Problem`; the path names file, row and column.
        source: the file.
    """


class InvalidArgumentError(SqfwError, ValueError, TypeError):
    """An argument or option given to a function or on the command line was refused.

    It is both a ``ValueError`` and a ``TypeError``: an argument may be refused for its
    value (``on_error="x"``) or for its type (``None`` where a dataset belongs), and code
    that caught either built-in before keeps working.

    Attributes:
        argument: the option's name, e.g. ``"on_error"`` or ``"--top"``.
        value: the value that came.
        expected: what the option accepts; for a choice, every allowed value.

    .. versionadded:: 0.1.0
    """

    def __init__(self, argument: str, value: object, expected: str) -> None:
        self.argument = argument
        self.value = value
        self.expected = expected
        super().__init__(f"{argument}: expected {expected}, got {show_value(value)}")


class UnknownDocumentKind(InvalidArgumentError, LookupError):
    """No document has the kind asked for (neither a kind, nor an entity class or its name).

    Attributes:
        argument: ``"kind"``.
        value: what came.
        expected: every document kind.

    .. versionadded:: 0.1.0
    """


class NotFoundError(SqfwError, KeyError):
    """Nothing has the key asked for: a target, a place, a community, a norm …

    It is a ``KeyError``, what such lookups raised before, so callers catching it keep
    working; unlike a bare ``KeyError`` its message says what was looked up and what the
    keys are.

    Attributes:
        what: what was looked up, e.g. ``"Assessment.target"`` or ``"norm"``.
        key: the key that came.
        expected: the keys there are, in words (cut short when there are many).

    .. versionadded:: 0.1.0
    """

    def __init__(self, what: str, key: object, expected: str) -> None:
        self.what = what
        self.key = key
        self.expected = expected
        super().__init__(f"{what}: expected {shorten(expected, 300)}, got {show_value(key)}")

    def __str__(self) -> str:  # KeyError would show the repr of its message otherwise
        return str(self.args[0])


class MissingFileError(SqfwError, FileNotFoundError):
    """No file is at the path given to read (a table, a document, a standards folder …).

    It is a ``FileNotFoundError``, what such reads raised before.

    Attributes:
        path: the path given.

    .. versionadded:: 0.1.0
    """

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"no such file: {shorten(path, 200)}")

    def __str__(self) -> str:  # OSError would render (errno, strerror) otherwise
        return str(self.args[0])


class OutputError(SqfwError, OSError):
    """A file or stream could not be written; nothing partial was left at the target.

    Attributes:
        target: the file, or ``"standard output"``.
        problem: what went wrong (a folder that does not exist, an encoding that cannot
            write a character …).

    .. versionadded:: 0.1.0
    """

    def __init__(self, target: str, problem: str) -> None:
        self.target = target
        self.problem = problem
        super().__init__(f"cannot write {shorten(target, 200)}: {shorten(problem, 300)}")

    def __str__(self) -> str:  # OSError would render (errno, strerror) otherwise
        return str(self.args[0])


class WorkflowError(SqfwError):
    """Base class of errors raised by the workflows."""


class Refusal(WorkflowError, ValueError):
    """Raised by a workflow machine's validator to say why an event cannot happen.

    :meth:`~sqfw.workflows.Workflow.apply` runs every validator of the transition,
    collects the reasons of each :class:`Refusal` and raises one
    :class:`TransitionRefused`.

    Args:
        reasons: one or more ``"中文 / English"`` lines (see :func:`sqfw.workflows.reason`).
    """

    def __init__(self, *reasons: str) -> None:
        self.reasons = reasons
        super().__init__("; ".join(reasons))


@attrs.frozen(kw_only=True)
class TrailProblem:
    """One problem found in a stored trail: what :class:`TrailBroken` and the bulk
    validators report, each with its place.

    Attributes:
        record_id: the record.
        index: the entry's position in that record's trail (0 = first); the trail's
            length when the record itself (state, version, head) is at fault.
        message: what is wrong, ``"中文 / English"``.
    """

    record_id: str
    index: int
    message: str

    def __str__(self) -> str:
        return f"{self.record_id}[{self.index}]: {self.message}"


class WorkflowInputError(WorkflowError, ValueError, TypeError):
    """An argument of :meth:`~sqfw.workflows.Workflow.apply` or
    :meth:`~sqfw.workflows.Workflow.check` is malformed: a naive or unreadable ``at``, an
    empty reason, or event data that is not JSON-plain.

    It is both a ``ValueError`` and a ``TypeError``, the two built-ins such arguments
    raised before, so callers catching either keep working. The value is echoed cut to
    80 characters, with identity and phone numbers masked. Also importable from
    :mod:`sqfw.workflows`.

    Attributes:
        where: the argument, e.g. ``"at"`` or ``"data"``.
        expected: what it accepts, in words.
        got: the value as shown in the message (bounded, masked).

    .. versionadded:: 0.1.0
    """

    def __init__(self, where: str, expected: str, got: str) -> None:
        self.where = where
        self.expected = expected
        self.got = got
        super().__init__(f"{where}: expected {expected}, got {got}")


class TransitionRefused(WorkflowError, ValueError):
    """An event was refused; the record is left exactly as it was.

    Attributes:
        workflow: the workflow's name, e.g. ``"election"``.
        event: the event that was sent.
        state: the state the record was in.
        reasons: every reason, each a ``"中文 / English"`` line.
    """

    def __init__(self, workflow: str, event: str, state: str, reasons: Sequence[str]) -> None:
        self.workflow = workflow
        self.event = event
        self.state = state
        self.reasons = tuple(reasons)
        body = "; ".join(self.reasons) if self.reasons else "no reason given"
        super().__init__(f"{workflow}: event {event!r} refused in state {state!r}: {body}")


class TrailBroken(WorkflowError, ValueError):
    """A record does not follow from its audit trail: an entry was changed, inserted,
    deleted, moved or duplicated, or the record's state, version or head was forged.

    Attributes:
        workflow: the workflow's name.
        record_id: the record's id.
        index: the position of the first bad entry (0 = first); the trail's length when the
            record itself (state, version, head) is at fault.
        problem: what is wrong, ``"中文 / English"`` (states, numbers and short hashes;
            never event data).

    .. versionadded:: 0.1.0
    """

    def __init__(self, workflow: str, record_id: str, index: int, problem: str) -> None:
        self.workflow = workflow
        self.record_id = record_id
        self.index = index
        self.problem = problem
        super().__init__(
            f"{workflow}: record {record_id!r:.80} does not verify at entry {index}: {problem}"
        )


class ConcurrencyConflict(WorkflowError, RuntimeError):
    """The record was changed by someone else since the caller read it.

    Attributes:
        record_id: the record's id.
        expected_version: the version the caller read.
        actual_version: the version now stored.
    """

    def __init__(self, record_id: str, expected_version: int, actual_version: int) -> None:
        self.record_id = record_id
        self.expected_version = expected_version
        self.actual_version = actual_version
        super().__init__(
            f"record {record_id!r} is at version {actual_version}, "
            f"but the event was prepared against version {expected_version}"
        )


class StoreError(SqfwError, RuntimeError):
    """A store cannot use its database as it is (no tables, another schema version).

    .. versionadded:: 0.1.0
    """


class RecordNotFound(StoreError, LookupError):
    """No record with this workflow and id is stored.

    Attributes:
        workflow: the workflow's name.
        record_id: the id asked for.

    .. versionadded:: 0.1.0
    """

    def __init__(self, workflow: str, record_id: str) -> None:
        self.workflow = workflow
        self.record_id = record_id
        super().__init__(f"store: no {workflow!r:.80} record {record_id!r:.80}")


class SqfwWarning(UserWarning):
    """Base class of every warning sqfw gives on purpose (something works, less well).

    .. versionadded:: 0.1.0
    """
