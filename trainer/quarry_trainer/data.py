"""Reading Quarry's exports and turning them into token ids for training.

Formats (the README's "Exports" section):

* SFT chat rows ``{"messages": [system..., user..., assistant]}`` (QueST/SPARQ RFT exports): the
  prompt is every message but the last, the completion is the last (assistant) message.
* Prompt-completion rows ``{"prompt": str, "completion": str}`` (ScaleQuest's QFT export): a raw
  prefix and its continuation, no chat template.
* DPO pairs ``{"prompt", "chosen", "rejected"}`` (TRL's standard preference format).

Only the completion is trained on. When a row is longer than ``max_len`` tokens, the prompt is cut
from the left (its end, next to the completion, is kept) and then, if still needed, the completion
from the right; a row whose completion would lose every token is dropped with a reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable


class DataError(ValueError):
    """The export cannot be trained on; the message names the file, line and what is wrong."""


@dataclass(frozen=True)
class SftRow:
    """One supervised example: ``prompt`` is a list of chat messages or a raw string."""

    prompt: list[dict[str, str]] | str
    completion: str

    @property
    def chat(self) -> bool:
        return isinstance(self.prompt, list)


@dataclass(frozen=True)
class PreferenceRow:
    prompt: str
    chosen: str
    rejected: str


def _lines(path: Path) -> Iterable[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise DataError(f"{path}:{number}: not JSON: {e.msg}") from e
            if not isinstance(row, dict):
                raise DataError(f"{path}:{number}: a row must be a JSON object")
            yield number, row


def load_sft(path: str | Path) -> list[SftRow]:
    """SFT rows of an RFT (chat) or QFT (prompt-completion) export, in file order."""
    path = Path(path)
    rows: list[SftRow] = []
    for number, row in _lines(path):
        if "messages" in row:
            messages = row["messages"]
            if not isinstance(messages, list) or len(messages) < 2:
                raise DataError(f"{path}:{number}: messages must hold a prompt and an answer")
            for m in messages:
                if not isinstance(m, dict) or not isinstance(m.get("role"), str) or not isinstance(m.get("content"), str):
                    raise DataError(f"{path}:{number}: every message needs a string role and content")
            last = messages[-1]
            if last["role"] != "assistant":
                raise DataError(f"{path}:{number}: the last message must be the assistant's, got {last['role']!r}")
            prompt = [{"role": m["role"], "content": m["content"]} for m in messages[:-1]]
            rows.append(SftRow(prompt, last["content"]))
        elif isinstance(row.get("prompt"), str) and isinstance(row.get("completion"), str):
            rows.append(SftRow(row["prompt"], row["completion"]))
        else:
            raise DataError(f"{path}:{number}: expected {{messages}} or {{prompt, completion}}, got keys {sorted(row)}")
    return rows


def load_preferences(path: str | Path) -> list[PreferenceRow]:
    path = Path(path)
    rows: list[PreferenceRow] = []
    for number, row in _lines(path):
        if not all(isinstance(row.get(k), str) for k in ("prompt", "chosen", "rejected")):
            raise DataError(f"{path}:{number}: a DPO pair needs string prompt, chosen and rejected")
        rows.append(PreferenceRow(row["prompt"], row["chosen"], row["rejected"]))
    return rows


def dpo_path_for(rft_file: str) -> str:
    """The QPO pairs written beside a round's RFT export (round-N.rft.jsonl -> round-N.dpo.jsonl)."""
    if not rft_file.endswith(".rft.jsonl"):
        raise DataError(f"cannot find the DPO pairs of {rft_file}: expected a round-N.rft.jsonl name")
    return rft_file[: -len(".rft.jsonl")] + ".dpo.jsonl"


@dataclass(frozen=True)
class Tokenized:
    """Token ids with a 0/1 mask of the tokens trained on (TRL's pre-tokenized SFT format)."""

    input_ids: list[int]
    completion_mask: list[int]

    def as_dict(self) -> dict[str, list[int]]:
        return {"input_ids": self.input_ids, "completion_mask": self.completion_mask}


def _prompt_ids(tokenizer: Any, row: SftRow) -> list[int]:
    if row.chat:
        text = tokenizer.apply_chat_template(row.prompt, tokenize=False, add_generation_prompt=True)
        # The template spells the BOS itself where the model wants one.
        return tokenizer(text, add_special_tokens=False)["input_ids"]
    return tokenizer(row.prompt, add_special_tokens=True)["input_ids"]


def _completion_ids(tokenizer: Any, row: SftRow) -> list[int]:
    ids = tokenizer(row.completion, add_special_tokens=False)["input_ids"]
    # The model must learn to stop: the end-of-turn token closes the completion.
    if tokenizer.eos_token_id is not None:
        ids = ids + [tokenizer.eos_token_id]
    return ids


def tokenize_sft(tokenizer: Any, rows: list[SftRow], max_len: int) -> tuple[list[Tokenized], list[str]]:
    """Token ids for every row that keeps at least one completion token, and the reasons for the rest."""
    out: list[Tokenized] = []
    dropped: list[str] = []
    for index, row in enumerate(rows):
        prompt = _prompt_ids(tokenizer, row)
        completion = _completion_ids(tokenizer, row)
        if not completion:
            dropped.append(f"row {index}: empty completion")
            continue
        if len(prompt) + len(completion) > max_len:
            keep_prompt = max(0, max_len - len(completion))
            # Keep at least a quarter of the window for the prompt when it exists, so the model
            # sees what it answers; the completion is cut from the right if it must be.
            keep_prompt = max(keep_prompt, min(len(prompt), max_len // 4))
            prompt = prompt[len(prompt) - keep_prompt:] if keep_prompt else []
            completion = completion[: max_len - len(prompt)]
        if not completion:
            dropped.append(f"row {index}: no completion token fits in {max_len} tokens")
            continue
        out.append(Tokenized(prompt + completion, [0] * len(prompt) + [1] * len(completion)))
    return out, dropped
