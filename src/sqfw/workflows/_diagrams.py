"""Diagrams of a workflow, drawn from its compiled definition with bilingual labels.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from sqfw.labels import LabeledEnum
from sqfw.workflows._definition import Definition

__all__ = ["dot", "mermaid"]


def mermaid(definition: Definition, states: type[LabeledEnum], events: type[LabeledEnum]) -> str:
    """The workflow as a Mermaid ``stateDiagram-v2``, with Chinese and English labels."""
    lines = ["stateDiagram-v2", f"    [*] --> {definition.initial}"]
    for state in states:
        lines.append(f"    {state.value}: {state.label_zh} {state.label_en}")
    for (source, event), steps in definition.table.items():
        label = events(event)
        for target in dict.fromkeys(step.target for step in steps):
            lines.append(f"    {source} --> {target}: {label.label_zh} {event}")
    for final in sorted(definition.finals):
        lines.append(f"    {final} --> [*]")
    return "\n".join(lines) + "\n"


def dot(definition: Definition, states: type[LabeledEnum], events: type[LabeledEnum]) -> str:
    """The workflow as Graphviz DOT text, with Chinese and English labels."""
    lines = [
        f'digraph "{definition.name}" {{',
        "    rankdir=LR;",
        '    node [shape=box, style=rounded, fontname="Noto Sans CJK SC"];',
        '    __start [shape=point, label=""];',
        f"    __start -> {definition.initial};",
    ]
    for state in states:
        shape = ", peripheries=2" if state.value in definition.finals else ""
        lines.append(f'    {state.value} [label="{state.label_zh}\\n{state.label_en}"{shape}];')
    for (source, event), steps in definition.table.items():
        label = events(event)
        for target in dict.fromkeys(step.target for step in steps):
            lines.append(f'    {source} -> {target} [label="{label.label_zh}\\n{event}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"
