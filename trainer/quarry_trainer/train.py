"""LoRA training of the generator on a round's export, and the new registry version it produces.

One call of :func:`train_version` is one retrain step: load the parent GGUF into transformers
(dequantised to F32), train a LoRA adapter with TRL (SFT on the RFT export, or DPO on the QPO
pairs), measure the loss on the training data before and after, save the adapter (for vLLM), merge
it and write ``model.gguf`` (for llama.cpp) and ``version.json`` into
``QUARRY_HOME/models/registry/RUN/vN/``. Device: CUDA when torch sees a GPU, else CPU; nothing
else changes between the two.
"""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from . import data as exports
from . import gguf_merge

log = logging.getLogger("quarry_trainer")

BACKEND = "python-lora"
REGISTRY_PREFIX = "registry/"


class TrainingCancelled(Exception):
    pass


FIELDS = ("baseModel", "data", "loraR", "loraAlpha", "loraTargets", "epochs", "maxSteps",
          "learningRate", "batchSize", "maxSeqLen", "seed")


@dataclass(frozen=True)
class Settings:
    """The run config's ``trainer.python`` block (TrainerConfig.Python on the Java side).

    No defaults here: the Java side merges every run config over core's defaults.yaml, the one
    place trainer defaults live, and sends the whole block. A missing field is a caller's bug and
    fails with its name instead of training with a second, silently different default.
    """

    base_model: str
    data: str
    lora_r: int
    lora_alpha: int
    lora_targets: tuple[str, ...]
    epochs: float
    max_steps: int
    learning_rate: float
    batch_size: int
    max_seq_len: int
    seed: int

    @staticmethod
    def from_config(block: dict[str, Any]) -> "Settings":
        missing = [k for k in FIELDS if block.get(k) is None]
        if missing:
            raise ValueError("trainer.python is missing " + ", ".join(missing)
                             + " (the Java side sends every field, merged over defaults.yaml)")
        return Settings(
            base_model=block["baseModel"],
            data=block["data"],
            lora_r=int(block["loraR"]),
            lora_alpha=int(block["loraAlpha"]),
            lora_targets=tuple(block["loraTargets"]),
            epochs=float(block["epochs"]),
            max_steps=int(block["maxSteps"]),
            learning_rate=float(block["learningRate"]),
            batch_size=int(block["batchSize"]),
            max_seq_len=int(block["maxSeqLen"]),
            seed=int(block["seed"]),
        )

    def hyperparameters(self) -> dict[str, Any]:
        return {
            "data": self.data,
            "loraR": self.lora_r,
            "loraAlpha": self.lora_alpha,
            "loraTargets": list(self.lora_targets),
            "epochs": self.epochs,
            "maxSteps": self.max_steps,
            "learningRate": self.learning_rate,
            "batchSize": self.batch_size,
            "maxSeqLen": self.max_seq_len,
            "seed": self.seed,
        }


def quarry_home() -> Path:
    return Path(os.environ.get("QUARRY_HOME", ".quarry")).absolute()


def safe(name: str) -> str:
    """FileNames.safe on the Java side: anything but [A-Za-z0-9._-] becomes _."""
    return "".join(c if c.isalnum() and c.isascii() or c in "._-" else "_" for c in name)


def resolve_base(current_model: str | None, settings: Settings, home: Path) -> Path:
    """The GGUF to train from: the parent version's registry model, else the configured base."""
    if current_model and current_model.startswith(REGISTRY_PREFIX):
        path = home / "models" / current_model / "model.gguf"
        if not path.is_file():
            raise FileNotFoundError(f"the parent version's model {current_model} is not at {path}")
        return path
    configured = Path(settings.base_model)
    for candidate in (configured, home / "models" / settings.base_model):
        if candidate.is_file():
            return candidate.absolute()
    raise FileNotFoundError(
        f"trainer.python.baseModel {settings.base_model!r} is neither a file nor under {home / 'models'}"
    )


def _device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def cpu_threads() -> int:
    """Torch's CPU threads: QUARRY_TRAINER_THREADS, else half the processors (at least 1).

    Measured on 2 shared vCPUs under load (the LLM server and sandboxes busy beside the trainer):
    10 LoRA steps on the tiny model took 8.4 s with torch's default of 2 OpenMP threads and 0.44 s
    with 1, because OpenMP threads spin waiting for each other when a core is taken.
    """
    configured = os.environ.get("QUARRY_TRAINER_THREADS")
    if configured:
        return max(1, int(configured))
    return max(1, (os.cpu_count() or 2) // 2)


def _load(base: Path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(base.parent), gguf_file=base.name)
    model = AutoModelForCausalLM.from_pretrained(str(base.parent), gguf_file=base.name)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    # Transformers dequantises every GGUF tensor to F32 on load but keeps a "gguf" quantizer on the
    # model, which Trainer refuses to train; the weights are plain F32, so drop the marker.
    model.hf_quantizer = None
    model.is_quantized = False
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    return tokenizer, model


def mean_loss(model: Any, examples: list[exports.Tokenized]) -> float:
    """Mean cross-entropy per completion token over ``examples`` (the loss before/after training)."""
    import torch

    device = next(model.parameters()).device
    total, count = 0.0, 0
    was_training = model.training
    model.eval()
    with torch.no_grad():
        for ex in examples:
            ids = torch.tensor([ex.input_ids], device=device)
            labels = ids.clone()
            labels[0, torch.tensor(ex.completion_mask, device=device) == 0] = -100
            logits = model(input_ids=ids).logits[:, :-1, :].float()
            target = labels[:, 1:]
            loss = torch.nn.functional.cross_entropy(
                logits.reshape(-1, logits.shape[-1]), target.reshape(-1), ignore_index=-100, reduction="sum"
            )
            total += float(loss)
            count += int((target != -100).sum())
    if was_training:
        model.train()
    return total / count if count else float("nan")


class _Progress:
    """Receives TRL's log lines; the activity heartbeats the latest and asks whether to stop."""

    def __init__(self, report: Callable[[dict[str, Any]], None], cancelled: Callable[[], bool]):
        self.report = report
        self.cancelled = cancelled
        self.first_loss: float | None = None
        self.last_loss: float | None = None

    def callback(self):
        from transformers import TrainerCallback

        progress = self

        class Callback(TrainerCallback):
            def on_step_end(self, args, state, control, **kwargs):
                progress.report({"phase": "training", "step": state.global_step, "maxSteps": state.max_steps,
                                 "loss": progress.last_loss})
                if progress.cancelled():
                    control.should_training_stop = True
                return control

            def on_log(self, args, state, control, logs=None, **kwargs):
                loss = (logs or {}).get("loss")
                if loss is not None and math.isfinite(loss):
                    if progress.first_loss is None:
                        progress.first_loss = float(loss)
                    progress.last_loss = float(loss)
                return control

        return Callback()


def _training_arguments(settings: Settings, workdir: Path) -> dict:
    """What SFT and DPO runs share: the run's hyperparameters, a log line per step (the heartbeat
    reads the loss from it), no checkpoints and no progress bars."""
    return dict(
        output_dir=str(workdir),
        per_device_train_batch_size=settings.batch_size,
        num_train_epochs=settings.epochs if settings.epochs > 0 else 1,
        max_steps=settings.max_steps if settings.max_steps > 0 else -1,
        learning_rate=settings.learning_rate,
        lr_scheduler_type="constant",
        logging_steps=1,
        save_strategy="no",
        report_to="none",
        seed=settings.seed,
        data_seed=settings.seed,
        max_length=settings.max_seq_len,
        disable_tqdm=True,
        **_precision(),
    )


def _train_sft(model, tokenizer, examples, settings: Settings, workdir: Path, progress: _Progress):
    from datasets import Dataset
    from trl import SFTConfig, SFTTrainer

    config = SFTConfig(
        **_training_arguments(settings, workdir),
        warmup_steps=0,
        completion_only_loss=True,
        dataset_num_proc=None,
    )
    trainer = SFTTrainer(
        model=model,
        args=config,
        train_dataset=Dataset.from_list([e.as_dict() for e in examples]),
        processing_class=tokenizer,
        peft_config=_lora(settings),
        callbacks=[progress.callback()],
    )
    trainer.train()
    return trainer.model


def _train_dpo(model, tokenizer, pairs, settings: Settings, workdir: Path, progress: _Progress):
    from datasets import Dataset
    from trl import DPOConfig, DPOTrainer

    config = DPOConfig(**_training_arguments(settings, workdir))
    rows = [{"prompt": p.prompt, "chosen": p.chosen, "rejected": p.rejected} for p in pairs]
    trainer = DPOTrainer(
        model=model,
        args=config,
        train_dataset=Dataset.from_list(rows),
        processing_class=tokenizer,
        peft_config=_lora(settings),
        callbacks=[progress.callback()],
    )
    trainer.train()
    return trainer.model


def _precision() -> dict[str, Any]:
    """bf16 mixed precision on a GPU that has it (TRL's default), full F32 on CPU."""
    import torch

    gpu = torch.cuda.is_available()
    return {"bf16": gpu and torch.cuda.is_bf16_supported(), "use_cpu": not gpu}


def _lora(settings: Settings):
    from peft import LoraConfig

    return LoraConfig(
        r=settings.lora_r,
        lora_alpha=settings.lora_alpha,
        target_modules=list(settings.lora_targets),
        lora_dropout=0.0,
        bias="none",
        task_type="CAUSAL_LM",
    )


def merged_replacements(merged_model: Any, targets: tuple[str, ...]) -> dict[str, Any]:
    """GGUF tensor name -> merged F32 weight of every LoRA-targeted linear module."""
    out: dict[str, Any] = {}
    for name, module in merged_model.named_modules():
        if name.rsplit(".", 1)[-1] not in targets or not hasattr(module, "weight"):
            continue
        tensor = gguf_merge.gguf_tensor_name(name)
        if tensor is None:
            raise ValueError(f"cannot map module {name} to a GGUF tensor")
        out[tensor] = module.weight.detach().float().cpu().numpy()
    if not out:
        raise ValueError(f"no module matched the LoRA targets {list(targets)}")
    return out


def train_version(
    request: dict[str, Any],
    report: Callable[[dict[str, Any]], None] = lambda _: None,
    cancelled: Callable[[], bool] = lambda: False,
    home: Path | None = None,
) -> dict[str, Any]:
    """One retrain step for a RetrainRequest (as JSON); returns the GeneratorVersion (as JSON)."""
    import torch
    from transformers import set_seed

    home = home or quarry_home()
    settings = Settings.from_config(request["trainer"]["python"])
    current = request["current"]
    round_ = int(request["round"])
    version_id = f"v{round_ + 1}"
    run_dir = safe(request["runId"])
    out_dir = home / "models" / "registry" / run_dir / version_id
    out_dir.mkdir(parents=True, exist_ok=True)
    source = request["rftFile"] if settings.data == "rft" else exports.dpo_path_for(request["rftFile"])
    data_copy = out_dir / ("training-data.rft.jsonl" if settings.data == "rft" else "training-data.dpo.jsonl")
    if Path(source).is_file():
        shutil.copyfile(source, data_copy)
    else:
        data_copy.write_text("", encoding="utf-8")

    def version(model: str, metrics: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": version_id,
            "parent": current["id"],
            "model": model,
            "trainingData": str(data_copy),
            "backend": BACKEND,
            "round": round_,
            "metrics": metrics,
        }

    def skipped(reason: str) -> dict[str, Any]:
        log.info("%s: training skipped: %s", version_id, reason)
        v = version(current["model"], {"skipped": reason})
        _write_registry(out_dir, v, settings)
        return v

    if settings.data == "rft":
        rows = exports.load_sft(data_copy)
        if not rows:
            return skipped(f"the round's RFT export {source} has no rows; the generator stays {current['id']}")
    else:
        rows = exports.load_preferences(data_copy)
        if not rows:
            return skipped(f"the round's DPO pairs {source} have no rows; the generator stays {current['id']}")

    base = resolve_base(current.get("model"), settings, home)
    started = time.monotonic()
    set_seed(settings.seed)
    report({"phase": "loading", "base": str(base)})
    tokenizer, model = _load(base)
    device = _device()
    if device == "cpu":
        torch.set_num_threads(cpu_threads())
    model.to(device)

    progress = _Progress(report, cancelled)
    with tempfile.TemporaryDirectory(prefix="quarry-trainer-") as work:
        if settings.data == "rft":
            examples, dropped = exports.tokenize_sft(tokenizer, rows, settings.max_seq_len)
            if not examples:
                return skipped(f"no row of {source} fits in maxSeqLen {settings.max_seq_len}: {dropped[:3]}")
            loss_before = mean_loss(model, examples)
            report({"phase": "training", "step": 0, "lossBefore": loss_before})
            trained = _train_sft(model, tokenizer, examples, settings, Path(work), progress)
        else:
            examples, dropped = [], []
            loss_before = None
            trained = _train_dpo(model, tokenizer, rows, settings, Path(work), progress)
        if cancelled():
            raise TrainingCancelled(f"{version_id}: training cancelled")
        adapter_dir = out_dir / "adapter"
        trained.save_pretrained(str(adapter_dir))  # for vLLM's /v1/load_lora_adapter
        merged = trained.merge_and_unload()
        loss_after = mean_loss(merged, examples) if examples else None
        train_seconds = time.monotonic() - started
        report({"phase": "writing", "lossAfter": loss_after})
        replacements = merged_replacements(merged, settings.lora_targets)
        fingerprint = gguf_merge.write_merged(
            base, out_dir / "model.gguf", replacements,
            {"general.name": f"quarry {run_dir} {version_id}"},
        )
    metrics: dict[str, Any] = {
        "rows": len(rows),
        "droppedRows": len(dropped),
        "trainSeconds": round(train_seconds, 2),
        "device": device,
        "sha256": fingerprint,
        "baseSha256": gguf_merge.sha256(base),
        "baseModel": str(base),
    }
    if loss_before is not None:
        # SFT: mean cross-entropy per completion token over the training rows, before and after.
        metrics["lossKind"] = "sft-eval"
        metrics["lossBefore"] = loss_before
    if loss_after is not None:
        metrics["lossAfter"] = loss_after
    if settings.data == "dpo" and progress.first_loss is not None:
        # DPO: the preference loss of the first step (ln 2 at the start) and of the last.
        metrics["lossKind"] = "dpo-train"
        metrics["lossBefore"] = progress.first_loss
        metrics["lossAfter"] = progress.last_loss
    if progress.first_loss is not None:
        metrics["firstStepLoss"] = progress.first_loss
        metrics["lastStepLoss"] = progress.last_loss
    v = version(f"{REGISTRY_PREFIX}{run_dir}/{version_id}", metrics)
    _write_registry(out_dir, v, settings)
    log.info("%s: %s", version_id, json.dumps(metrics))
    del torch
    return v


def _write_registry(out_dir: Path, version: dict[str, Any], settings: Settings) -> None:
    """version.json as the Java trainers write it (RegistryEntry: version, jobId, hyperparameters, metrics)."""
    entry = {
        "version": version,
        "jobId": None,
        "hyperparameters": settings.hyperparameters(),
        "metrics": version["metrics"],
    }
    tmp = out_dir / ".version.json.tmp"
    tmp.write_text(json.dumps(entry, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, out_dir / "version.json")
