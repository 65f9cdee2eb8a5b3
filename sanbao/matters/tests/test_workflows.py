"""The workflow definitions are consistent data, and the graph the help page draws matches them."""

import pytest

from sanbao.matters.choices import MatterKind, MatterState, MatterStatus, Verb
from sanbao.matters.workflows import WORKFLOWS, all_clock_keys, workflow_for, workflow_graph


@pytest.mark.parametrize("kind", MatterKind.values)
def test_every_transition_joins_steps_of_its_own_workflow(kind):
    workflow = workflow_for(kind)
    keys = {step.key for step in workflow.steps}
    assert workflow.initial in keys and workflow.dispatch_state in keys
    for transition in workflow.transitions:
        assert set(transition.sources) <= keys, transition
        assert {transition.target, *transition.outcomes.values()} <= keys | {MatterState.HANDLING}, transition
        assert transition.roles and transition.verb in Verb.values


@pytest.mark.parametrize("kind", MatterKind.values)
def test_every_step_is_reachable_and_a_closed_step_is_reachable(kind):
    graph = workflow_graph(kind)
    reached, frontier = set(), [next(node["id"] for node in graph["nodes"] if node["initial"])]
    while frontier:
        state = frontier.pop()
        if state not in reached:
            reached.add(state)
            frontier += [edge["target"] for edge in graph["edges"] if edge["source"] == state]
    assert reached == {node["id"] for node in graph["nodes"]}
    assert any(node["status"] == MatterStatus.CLOSED for node in graph["nodes"])


@pytest.mark.parametrize("kind", MatterKind.values)
def test_ended_steps_have_no_way_out_and_closed_ones_only_reopen(kind):
    workflow = workflow_for(kind)
    for step in workflow.steps:
        verbs = set(workflow.verbs_from(step.key))
        if step.status == MatterStatus.ENDED or step.key == MatterState.TERMINATED:
            assert verbs == set(), step
        elif step.status == MatterStatus.CLOSED:
            assert verbs == {Verb.REOPEN}, step
        else:
            assert Verb.TRANSFER in verbs, step


def test_required_chains_of_the_issue():
    def path(kind, verbs_and_inputs):
        workflow, state = workflow_for(kind), workflow_for(kind).initial
        for verb, inputs in verbs_and_inputs:
            state = workflow.transition(verb, state).target_for(inputs)
        return state

    assert (
        path("hazard", [("assign", {}), ("sign", {}), ("feedback", {}), ("review", {"decision": "approve"})])
        == "closed"
    )
    assert (
        path(
            "incident",
            [
                ("consult", {}),
                ("assign", {}),
                ("sign", {}),
                ("feedback", {}),
                ("review", {"decision": "approve"}),
                ("follow_up", {"satisfaction": "satisfied"}),
            ],
        )
        == "closed"
    )
    assert (
        path(
            "petition",
            [
                ("accept", {}),
                ("assign", {}),
                ("sign", {}),
                ("feedback", {}),
                ("review", {"decision": "approve"}),
                ("request_review", {}),
                ("feedback", {}),
                ("request_review", {}),
                ("feedback", {}),
            ],
        )
        == "terminated"
    )
    assert (
        path(
            "dispute",
            [
                ("accept", {}),
                ("assign", {}),
                ("sign", {}),
                ("feedback", {}),
                ("review", {"decision": "approve"}),
                ("follow_up", {"satisfaction": "dissatisfied"}),
            ],
        )
        == "handling"
    )


def test_clock_keys_are_namespaced_by_kind():
    keys = all_clock_keys()
    assert "petition.conclude" in keys and "enterprise_request.handle" in keys
    assert all(key.split(".")[0] in WORKFLOWS for key in keys)


def test_graph_edges_carry_labels_and_mark_side_routes():
    graph = workflow_graph("dispute")
    transfer = [edge for edge in graph["edges"] if edge["verb"] == "transfer"]
    assert transfer and all(edge["secondary"] for edge in transfer)
    follow_up = {edge["outcome"]: edge["target"] for edge in graph["edges"] if edge["verb"] == "follow_up"}
    assert follow_up == {"satisfied": "closed", "basically_satisfied": "closed", "dissatisfied": "handling"}
