"""Quarry's Python trainer worker: LoRA SFT / DPO with TRL and PEFT, served as a Temporal activity.

The worker polls its own task queue (``quarry-train-python`` by default) and serves one activity
type, ``TrainLoraGenerator``: it trains a LoRA adapter on a round's export, merges it into the
base GGUF and files the result in the model registry, where the embedded LLM server serves it by
name (``registry/RUN/vN``).
"""
