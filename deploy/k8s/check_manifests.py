#!/usr/bin/env python3
"""Offline checks of deploy/k8s/: YAML syntax and what Quarry needs from the manifests.

Prints one PASS/FAIL line per check (deploy/k8s/validate.sh counts them). No cluster, no
schemas: those are validate.sh's optional second step. Checks:
  - every file parses, every document has apiVersion, kind and metadata.name, and no mapping
    has a key twice (PyYAML would silently keep the last one);
  - the kustomizations list exactly the manifests beside them;
  - every namespaced object is in namespace `quarry`;
  - one worker Deployment per task queue named in TaskQueues.java;
  - every container requests CPU and memory and has a memory limit;
  - every worker mounts the shared quarry-home claim on /opt/quarry/.quarry and reads the
    quarry-worker ConfigMap; selectors match their pod labels;
  - no secret value is written: env entries whose names look secret use a Secret, and only the
    llm worker gets the LLM keys Secret;
  - only the sandbox pod has a privileged container, and its worker reaches that engine;
  - KEDA: each ScaledObject targets an existing Deployment, a real task queue and the same
    Temporal address and namespace as the workers.
"""
import pathlib
import re
import sys

import yaml

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[1]
SECRET_NAME = re.compile(r"(KEY|TOKEN|PASSWORD|SECRET)", re.IGNORECASE)
CLUSTER_SCOPED = {"Namespace", "Kustomization"}


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that rejects a mapping with the same key twice."""


def _mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)

results = []


def check(ok, what):
    results.append(bool(ok))
    print(("PASS " if ok else "FAIL ") + what)


def load_all():
    docs = {}
    for path in sorted(HERE.rglob("*.yaml")):
        rel = path.relative_to(HERE)
        try:
            parsed = [d for d in yaml.load_all(path.read_text(), Loader=StrictLoader) if d is not None]
        except yaml.YAMLError as e:
            check(False, f"{rel}: {e}")
            continue
        ok = all(isinstance(d, dict) and d.get("apiVersion") and d.get("kind")
                 and (d["kind"] == "Kustomization" or (d.get("metadata") or {}).get("name"))
                 for d in parsed)
        check(ok and parsed, f"{rel}: {len(parsed)} document(s) parse, each with apiVersion, kind, metadata.name")
        docs[rel] = parsed
    return docs


def containers(deployment):
    spec = deployment["spec"]["template"]["spec"]
    return spec.get("initContainers", []) + spec.get("containers", [])


def worker(deployment):
    return next(c for c in deployment["spec"]["template"]["spec"]["containers"] if c["name"] == "worker")


def queue_of(deployment):
    args = worker(deployment).get("args", [])
    return args[args.index("--queues") + 1] if "--queues" in args else None


def main():
    docs = load_all()
    objects = [(rel, d) for rel, ds in docs.items() for d in ds]

    for rel, d in objects:
        if d["kind"] == "Kustomization":
            base = (HERE / rel).parent
            listed = sorted(d.get("resources", []))
            present = sorted(p.name for p in base.glob("*.yaml") if p.name != "kustomization.yaml")
            check(listed == present, f"{rel} lists exactly {present}")
        elif d["kind"] not in CLUSTER_SCOPED:
            check(d["metadata"].get("namespace") == "quarry", f"{d['kind']}/{d['metadata']['name']} is in namespace quarry")

    deployments = {d["metadata"]["name"]: d for _, d in objects if d["kind"] == "Deployment"}
    config = next(d for _, d in objects if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "quarry-worker")
    claim = next(d for _, d in objects if d["kind"] == "PersistentVolumeClaim")
    check(claim["spec"]["accessModes"] == ["ReadWriteMany"], "quarry-home is ReadWriteMany (shared by pods on many nodes)")

    source = (REPO / "workflows/src/main/java/dev/quarry/workflows/TaskQueues.java").read_text()
    task_queues = sorted(re.findall(r'"quarry-([a-z]+)"', source))
    served = sorted(filter(None, (queue_of(d) for d in deployments.values())))
    check(task_queues and served == task_queues, f"one worker Deployment per task queue {task_queues}: {served}")

    for name, d in deployments.items():
        template = d["spec"]["template"]
        check(d["spec"]["selector"]["matchLabels"].items() <= template["metadata"]["labels"].items(),
              f"{name}: selector matches the pod labels")
        for c in containers(d):
            res = c.get("resources", {})
            check({"cpu", "memory"} <= set(res.get("requests", {})) and "memory" in res.get("limits", {}),
                  f"{name}/{c['name']}: CPU and memory requests, memory limit")
            for env in c.get("env", []):
                if SECRET_NAME.search(env["name"]):
                    check("value" not in env, f"{name}/{c['name']}: {env['name']} is not written as a literal")
        w = worker(d)
        volumes = {v["name"]: v for v in template["spec"].get("volumes", [])}
        home = [m for m in w.get("volumeMounts", []) if m["mountPath"] == "/opt/quarry/.quarry"]
        check(home and volumes.get(home[0]["name"], {}).get("persistentVolumeClaim", {}).get("claimName") == "quarry-home",
              f"{name}: the shared quarry-home claim on /opt/quarry/.quarry")
        check({"configMapRef": {"name": "quarry-worker"}} in w.get("envFrom", []), f"{name}: reads the quarry-worker ConfigMap")
        secrets = [e["secretRef"]["name"] for e in w.get("envFrom", []) if "secretRef" in e]
        check(secrets == (["quarry-llm-keys"] if queue_of(d) == "llm" else []),
              f"{name}: LLM keys Secret {'mounted' if queue_of(d) == 'llm' else 'absent'} ({secrets})")
        privileged = [c["name"] for c in containers(d) if c.get("securityContext", {}).get("privileged")]
        check(privileged == (["docker"] if queue_of(d) == "sandbox" else []),
              f"{name}: privileged containers {privileged or 'none'}")
        pod_security = template["spec"].get("securityContext", {})
        worker_security = w.get("securityContext", {})
        check(worker_security.get("allowPrivilegeEscalation") is False
              and (worker_security.get("runAsNonRoot") or pod_security.get("runAsNonRoot")),
              f"{name}: worker runs as non-root without privilege escalation")

    sandbox = next(d for d in deployments.values() if queue_of(d) == "sandbox")
    engine = next(c for c in sandbox["spec"]["template"]["spec"]["initContainers"] if c["name"] == "docker")
    env = lambda c: {e["name"]: e.get("value") for e in c.get("env", [])}
    check(env(worker(sandbox)).get("DOCKER_HOST") == env(engine).get("DOCKER_HOST", "").strip()
          and env(engine)["DOCKER_HOST"].startswith("unix://"),
          "sandbox worker talks to its own engine over a unix socket")
    check(env(worker(sandbox)).get("QUARRY_SANDBOX_IMAGE") == env(engine).get("QUARRY_SANDBOX_IMAGE"),
          "sandbox engine pre-pulls the image the worker uses")
    check(engine.get("restartPolicy") == "Always" and "startupProbe" in engine,
          "sandbox engine is a native sidecar whose startup probe gates the worker")

    for rel, d in objects:
        if d["kind"] != "ScaledObject":
            continue
        target = d["spec"]["scaleTargetRef"]["name"]
        check(target in deployments, f"ScaledObject {d['metadata']['name']} targets Deployment {target}")
        for trigger in d["spec"]["triggers"]:
            m = trigger["metadata"]
            queue = queue_of(deployments[target]) if target in deployments else None
            check(trigger["type"] == "temporal" and m["taskQueue"] == f"quarry-{queue}",
                  f"ScaledObject {d['metadata']['name']}: scales on its worker's queue {m['taskQueue']}")
            check(m["endpoint"] == config["data"]["QUARRY_TEMPORAL_ADDRESS"] and m["namespace"] == config["data"]["QUARRY_TEMPORAL_NAMESPACE"],
                  f"ScaledObject {d['metadata']['name']}: same Temporal address and namespace as the workers")

    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
