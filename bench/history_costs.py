"""Where a QueST run's orchestration work goes, counted from its histories with the Temporal CLI:
history events, workflow tasks and activity tasks (by activity type), child workflows and payload
bytes, in total and per candidate. Every event is persisted by the server and every task is a
poll-dispatch-complete round trip, which is what the CPU per LLM request pays for.

Usage: history_costs.py ADDRESS RUN_ID CANDIDATES [--json FILE]
Reads every workflow whose id starts with RUN_ID (`temporal workflow list`, then `show` each).
"""

import base64
import collections
import json
import subprocess
import sys


def temporal(*args):
    out = subprocess.run(["temporal", *args], check=True, capture_output=True, text=True).stdout
    return json.loads(out) if out.strip() else []


def payload_bytes(node):
    """Decoded bytes of every payload's data under node (inputs, results, memos, summaries)."""
    total = 0
    if isinstance(node, dict):
        if "data" in node and "metadata" in node and isinstance(node["data"], str):
            try:
                total += len(base64.b64decode(node["data"]))
            except ValueError:
                pass
        for value in node.values():
            total += payload_bytes(value)
    elif isinstance(node, list):
        for value in node:
            total += payload_bytes(value)
    return total


def main():
    address, run_id, candidates = sys.argv[1], sys.argv[2], int(sys.argv[3])
    json_out = sys.argv[5] if len(sys.argv) > 5 and sys.argv[4] == "--json" else None
    listed = temporal("workflow", "list", "--address", address, "--limit", "100000", "-o", "json")
    ids = sorted({w["execution"]["workflowId"] for w in listed if w["execution"]["workflowId"].startswith(run_id)})
    by_type = collections.defaultdict(lambda: collections.Counter())
    events = collections.Counter()
    activities = collections.Counter()
    activity_payload = collections.Counter()
    scheduled_types = {}
    for wid in ids:
        history = temporal("workflow", "show", "--address", address, "-w", wid, "-o", "json")["events"]
        wtype = history[0]["workflowExecutionStartedEventAttributes"]["workflowType"]["name"]
        t = by_type[wtype]
        t["workflows"] += 1
        for e in history:
            kind = e["eventType"].replace("EVENT_TYPE_", "")
            events[kind] += 1
            t["events"] += 1
            size = payload_bytes(e)
            t["payloadBytes"] += size
            if kind == "WORKFLOW_TASK_SCHEDULED":
                t["workflowTasks"] += 1
            elif kind == "ACTIVITY_TASK_SCHEDULED":
                a = e["activityTaskScheduledEventAttributes"]["activityType"]["name"]
                scheduled_types[(wid, e["eventId"])] = a
                activities[a] += 1
                activity_payload[a] += size
                t["activityTasks"] += 1
            elif kind == "ACTIVITY_TASK_COMPLETED":
                sid = e["activityTaskCompletedEventAttributes"]["scheduledEventId"]
                activity_payload[scheduled_types.get((wid, sid), "?")] += size
            elif kind == "START_CHILD_WORKFLOW_EXECUTION_INITIATED":
                t["childWorkflows"] += 1
    total_events = sum(events.values())
    total_wft = sum(t["workflowTasks"] for t in by_type.values())
    total_acts = sum(activities.values())
    total_payload = sum(t["payloadBytes"] for t in by_type.values())
    per = lambda x: x / candidates
    print(f"  histories of {run_id}: {len(ids)} workflows, {candidates} candidates")
    print(f"  per candidate: {per(total_events):.1f} history events, {per(total_wft):.2f} workflow tasks, "
          f"{per(total_acts):.2f} activity tasks, {per(total_payload) / 1024:.1f} KB of payloads")
    for name, t in sorted(by_type.items()):
        print(f"    {name}: {t['workflows']} workflows, {t['events']} events, {t['workflowTasks']} workflow tasks, "
              f"{t['activityTasks']} activity tasks, {t['childWorkflows']} children, {t['payloadBytes'] / 1024:.0f} KB payloads")
    print("    activity tasks by type (count, payload KB in+out): " + ", ".join(
        f"{a} {n} ({activity_payload[a] / 1024:.0f})" for a, n in activities.most_common()))
    print("    events by type: " + ", ".join(f"{k} {v}" for k, v in events.most_common()))
    if json_out:
        json.dump({
            "workflows": len(ids), "candidates": candidates, "events": total_events, "workflowTasks": total_wft,
            "activityTasks": total_acts, "payloadBytes": total_payload,
            "byWorkflowType": {k: dict(v) for k, v in by_type.items()},
            "activitiesByType": dict(activities), "activityPayloadBytes": dict(activity_payload),
            "eventsByType": dict(events),
        }, open(json_out, "w"), indent=1)


if __name__ == "__main__":
    main()
