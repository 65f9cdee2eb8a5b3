"""The workflow help page: each kind's workflow drawn from the workflow data itself."""

from collections import deque

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from sanbao.matters.choices import MatterKind, MatterStatus, Verb
from sanbao.matters.forms import input_label
from sanbao.matters.workflows import workflow_for, workflow_graph
from sanbao.org.choices import Role

COLUMN_WIDTH = 100
ROW_HEIGHT = 110
STATUS_COLOURS = {MatterStatus.OPEN: "#0b3d91", MatterStatus.CLOSED: "#198754", MatterStatus.ENDED: "#6c757d"}


def _depths(graph: dict) -> tuple[dict[str, int], set[str]]:
    """Breadth-first depth of each step from the initial one, and the steps only side routes reach."""
    initial = next(node["id"] for node in graph["nodes"] if node["initial"])
    depths, side = {initial: 0}, set()
    for use_secondary in (False, True):
        queue = deque(depths)
        while queue:
            source = queue.popleft()
            for edge in graph["edges"]:
                if edge["source"] != source or edge["target"] in depths:
                    continue
                if edge["secondary"] and not use_secondary:
                    continue
                depths[edge["target"]] = depths[source] + 1
                if use_secondary:
                    side.add(edge["target"])
                queue.append(edge["target"])
    last = max(depths.values(), default=0)
    return {node["id"]: depths.get(node["id"], last + 1) for node in graph["nodes"]}, side


def diagram(kind: str) -> dict:
    """ECharts graph options (positions computed here, so the drawing is the same every time).

    Columns are the distance from the first step; within a column the main
    route comes first, then steps reached only by side routes, then endings.
    """
    graph = workflow_graph(kind)
    depths, side = _depths(graph)
    order = {node["id"]: number for number, node in enumerate(graph["nodes"])}
    ranked = sorted(
        graph["nodes"],
        key=lambda node: (node["id"] in side, node["status"] != MatterStatus.OPEN, order[node["id"]]),
    )
    rows: dict[int, int] = {}
    nodes = []
    for node in ranked:
        depth = depths[node["id"]]
        row = rows.get(depth, 0)
        rows[depth] = row + 1
        nodes.append(
            {
                "name": node["id"],
                "value": node["label"],
                "x": depth * COLUMN_WIDTH,
                "y": row * ROW_HEIGHT,
                "itemStyle": {"color": STATUS_COLOURS.get(node["status"], "#0b3d91")},
                "symbolSize": 18 if node["initial"] else 14,
            }
        )
    # 转办 leads from every open step back to intake; drawn, it would hide the rest (the caption says so).
    links = [
        _link(edge, depths)
        for edge in graph["edges"]
        if edge["source"] != edge["target"] and edge["verb"] != Verb.TRANSFER
    ]
    return {"nodes": nodes, "links": links}


def _link(edge: dict, depths: dict[str, int]) -> dict:
    backwards = depths[edge["target"]] <= depths[edge["source"]]
    return {
        "source": edge["source"],
        "target": edge["target"],
        "value": edge["label"],
        "secondary": edge["secondary"],
        "lineStyle": {
            "type": "dashed" if edge["secondary"] else "solid",
            "curveness": 0.3 if backwards else 0.05,
            "opacity": 0.45 if edge["secondary"] else 0.9,
        },
    }


def _transitions(kind: str) -> list[dict]:
    """The workflow as rows of a table: from, operation, to (per outcome), who, required inputs."""
    workflow = workflow_for(kind)
    rows = []
    for transition in workflow.transitions:
        targets = list(transition.outcomes.values()) or [transition.target]
        rows.append(
            {
                "sources": [workflow.state_label(source) for source in transition.sources],
                "verb": transition.display,
                "targets": list(dict.fromkeys(workflow.state_label(target) for target in targets)),
                "roles": [str(Role(role).label) for role in sorted(transition.roles)],
                "inputs": [input_label(name) for name in transition.inputs],
            }
        )
    return rows


@login_required
def workflow_help(request):
    workflows = []
    for kind in MatterKind:
        workflow = workflow_for(kind)
        workflows.append(
            {
                "kind": kind.value,
                "label": kind.label,
                "fast_lane": workflow.fast_lane,
                "initial": workflow.state_label(workflow.initial),
                "diagram": diagram(kind),
                "chart_id": f"workflow-data-{kind.value}",
                "transitions": _transitions(kind),
            }
        )
    return render(request, "matters/help/workflows.html", {"workflows": workflows})
