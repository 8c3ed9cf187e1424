"""Reads the round's training rows, "trains" (loss = 1 / (rows + 1)), writes the manifest."""
import json
import os

path = os.environ["QUARRY_TRAINING_DATA"]
with open(path) as f:
    rows = [json.loads(line) for line in f if line.strip()]
for step in range(1, 4):
    print(f"step {step}/3 rows={len(rows)}", flush=True)
loss = 1.0 / (len(rows) + 1)
with open("/output/model.json", "w") as out:
    json.dump({"model": os.environ.get("MODEL_NAME", "trained") + f"-{len(rows)}", "metrics": {"loss": loss}}, out)
