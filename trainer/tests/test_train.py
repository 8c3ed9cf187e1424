import json
from pathlib import Path

from quarry_trainer import gguf_merge
from quarry_trainer.train import train_version


def request(rft: Path, base: Path, **python) -> dict:
    settings = {"taskQueue": "q", "baseModel": str(base), "data": "rft", "loraR": 4, "loraAlpha": 8,
                "loraTargets": ["v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"], "epochs": 4,
                "maxSteps": 0, "learningRate": 0.01, "batchSize": 2, "maxSeqLen": 256, "seed": 7,
                "heartbeatSeconds": 60}
    settings.update(python)
    return {"runId": "run/1", "round": 0, "rftFile": str(rft), "rows": 4,
            "current": {"id": "v0", "parent": None, "model": "tiny", "trainingData": None,
                        "backend": "base model", "round": -1, "metrics": None},
            "trainer": {"backend": "python", "python": settings}}


def rft_rows(n: int) -> str:
    return "".join(json.dumps({"messages": [
        {"role": "system", "content": "You write problems."},
        {"role": "user", "content": f"Write problem {i}."},
        {"role": "assistant", "content": "Sum two integers a and b. Print a+b."}]}) + "\n" for i in range(n))


def test_lora_sft_lowers_the_loss_and_files_a_new_gguf(tiny_copy, tmp_path):
    rft = tmp_path / "round-0.rft.jsonl"
    rft.write_text(rft_rows(4), encoding="utf-8")
    beats = []
    version = train_version(request(rft, tiny_copy), report=beats.append, home=tmp_path / "home")
    out = tmp_path / "home" / "models" / "registry" / "run_1" / "v1"
    assert version["id"] == "v1" and version["parent"] == "v0" and version["round"] == 0
    assert version["model"] == "registry/run_1/v1" and version["backend"] == "python-lora"
    m = version["metrics"]
    assert m["lossAfter"] < m["lossBefore"], m
    assert m["sha256"] == gguf_merge.sha256(out / "model.gguf") != m["baseSha256"]
    assert (out / "adapter" / "adapter_config.json").is_file()
    entry = json.loads((out / "version.json").read_text())
    assert entry["version"] == version and entry["hyperparameters"]["loraR"] == 4
    assert any(b.get("step") for b in beats), beats


def test_an_empty_export_skips_training_and_keeps_the_model(tiny_copy, tmp_path):
    rft = tmp_path / "round-0.rft.jsonl"
    rft.write_text("", encoding="utf-8")
    version = train_version(request(rft, tiny_copy), home=tmp_path / "home")
    assert version["model"] == "tiny"
    assert "no rows" in version["metrics"]["skipped"]
    assert not (tmp_path / "home" / "models" / "registry" / "run_1" / "v1" / "model.gguf").exists()


def test_dpo_on_the_qpo_pairs_beside_the_rft_export(tiny_copy, tmp_path):
    rft = tmp_path / "round-0.rft.jsonl"
    rft.write_text("", encoding="utf-8")
    (tmp_path / "round-0.dpo.jsonl").write_text("".join(
        json.dumps({"prompt": f"Problem {i}:", "chosen": " Find the sum of a and b.", "rejected": " zq xv"}) + "\n"
        for i in range(4)), encoding="utf-8")
    version = train_version(request(rft, tiny_copy, data="dpo", epochs=2, maxSeqLen=64), home=tmp_path / "home")
    m = version["metrics"]
    assert m["lossKind"] == "dpo-train" and m["lossAfter"] < m["lossBefore"], m
    assert abs(m["lossBefore"] - 0.6931) < 1e-3, m  # ln 2: the adapter starts as the reference
    assert version["model"] == "registry/run_1/v1" and m["sha256"] != m["baseSha256"]
    assert version["trainingData"].endswith("training-data.dpo.jsonl")


def test_a_cancelled_training_stops_at_the_next_step_and_writes_no_model(tiny_copy, tmp_path):
    import pytest
    from quarry_trainer.train import TrainingCancelled

    rft = tmp_path / "round-0.rft.jsonl"
    rft.write_text(rft_rows(4), encoding="utf-8")
    steps = []

    def report(details):
        if details.get("step"):
            steps.append(details["step"])

    with pytest.raises(TrainingCancelled):
        train_version(request(rft, tiny_copy, maxSteps=50), report=report, cancelled=lambda: bool(steps),
                      home=tmp_path / "home")
    assert steps == [1], steps
    assert not (tmp_path / "home" / "models" / "registry" / "run_1" / "v1" / "model.gguf").exists()


def test_a_block_missing_a_field_is_refused_by_name_not_filled_with_a_second_default(tmp_path):
    import pytest
    from quarry_trainer.train import Settings

    block = request(tmp_path / "r.jsonl", tmp_path / "base.gguf")["trainer"]["python"]
    assert Settings.from_config(block).batch_size == 2
    del block["batchSize"]
    with pytest.raises(ValueError, match="batchSize"):
        Settings.from_config(block)
