#!/usr/bin/env python3
"""Writes a tiny llama-architecture GGUF with seeded random weights, for tests.

The model is meant to be *loaded and run* by llama.cpp (through de.kherud:llama), not to say
anything sensible: with random weights its output is gibberish. It is small (well under 1 MB),
deterministic (same seed -> byte-identical file) and fast, so the embedded LLM server can be
tested end to end without downloading a real model. Grammar-constrained sampling still yields
valid JSON, because the grammar, not the weights, decides which tokens are allowed.

Shape: 2 layers, n_embd 64, 4 heads (head dim 16), n_ff 128, context 4096 (room for a prompt and a bounded JSON answer of single-byte tokens).
Vocabulary (SentencePiece-style, tokenizer.ggml.model = "llama"):
  0 <unk>, 1 <s>, 2 </s>, the ChatML markers (eos = <|im_end|>) <|im_start|> / <|im_end|> as control tokens,
  the 256 byte-fallback tokens <0x00>..<0xFF>, then the printable ASCII characters as single
  tokens (space is spelled U+2581 as SentencePiece does). Anything else falls back to bytes.
The chat template is ChatML, which llama.cpp recognises by its <|im_start|> marker.

Usage: make-tiny-gguf.py OUTPUT.gguf [--seed N]
Needs: pip install gguf numpy
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

try:
    import numpy as np
    import gguf
except ImportError as exc:  # pragma: no cover - depends on the machine
    sys.stderr.write(
        f"error: {exc.name or exc} is not installed; run: pip install gguf numpy\n"
        "       (or scripts/ensure-tiny-model.sh, which does that for you)\n"
    )
    sys.exit(2)

N_LAYER = 2
N_EMBD = 64
N_HEAD = 4
N_HEAD_KV = 4
N_FF = 128
N_CTX = 4096
RMS_EPS = 1e-5
ROPE_BASE = 10000.0

CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)

SPM_SPACE = "\u2581"


def build_vocab() -> tuple[list[str], list[float], list[int]]:
    tokens: list[str] = []
    scores: list[float] = []
    types: list[int] = []

    def add(text: str, score: float, ttype: gguf.TokenType) -> None:
        tokens.append(text)
        scores.append(score)
        types.append(int(ttype))

    add("<unk>", 0.0, gguf.TokenType.UNKNOWN)
    add("<s>", 0.0, gguf.TokenType.CONTROL)
    add("</s>", 0.0, gguf.TokenType.CONTROL)
    add("<|im_start|>", 0.0, gguf.TokenType.CONTROL)
    add("<|im_end|>", 0.0, gguf.TokenType.CONTROL)
    for b in range(256):
        add(f"<0x{b:02X}>", 0.0, gguf.TokenType.BYTE)
    # Printable ASCII as single-character pieces; a higher score than bytes is irrelevant for
    # single characters (no merges exist) but keeps the table conventional.
    add(SPM_SPACE, -1.0, gguf.TokenType.NORMAL)
    for code in range(0x21, 0x7F):
        add(chr(code), -1.0 - (code - 0x21) / 1000.0, gguf.TokenType.NORMAL)
    return tokens, scores, types


def write_model(path: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    tokens, scores, types = build_vocab()
    n_vocab = len(tokens)

    def weight(rows: int, cols: int, std: float = 0.02) -> np.ndarray:
        # numpy shape (rows, cols) = ggml ne (cols, rows): llama.cpp's (n_in, n_out) layout.
        return (rng.standard_normal((rows, cols)) * std).astype(np.float32)

    def norm(n: int) -> np.ndarray:
        return np.ones((n,), dtype=np.float32)

    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tiny-", suffix=".gguf", dir=directory)
    os.close(fd)
    try:
        writer = gguf.GGUFWriter(tmp, "llama")
        writer.add_name("quarry-tiny-test")
        writer.add_context_length(N_CTX)
        writer.add_embedding_length(N_EMBD)
        writer.add_block_count(N_LAYER)
        writer.add_feed_forward_length(N_FF)
        writer.add_head_count(N_HEAD)
        writer.add_head_count_kv(N_HEAD_KV)
        writer.add_rope_dimension_count(N_EMBD // N_HEAD)
        writer.add_rope_freq_base(ROPE_BASE)
        writer.add_layer_norm_rms_eps(RMS_EPS)
        writer.add_vocab_size(n_vocab)
        writer.add_file_type(gguf.LlamaFileType.ALL_F32)

        writer.add_tokenizer_model("llama")
        writer.add_token_list(tokens)
        writer.add_token_scores(scores)
        writer.add_token_types(types)
        writer.add_unk_token_id(0)
        writer.add_bos_token_id(1)
        # <|im_end|> ends a ChatML turn, so it is the end-of-generation token (as in SmolLM2);
        # llama.cpp warns when eos is not among its end-of-generation tokens.
        writer.add_eos_token_id(4)
        writer.add_add_bos_token(True)
        writer.add_add_eos_token(False)
        writer.add_chat_template(CHAT_TEMPLATE)

        writer.add_tensor("token_embd.weight", weight(n_vocab, N_EMBD, 1.0))
        for i in range(N_LAYER):
            writer.add_tensor(f"blk.{i}.attn_norm.weight", norm(N_EMBD))
            writer.add_tensor(f"blk.{i}.attn_q.weight", weight(N_EMBD, N_EMBD))
            writer.add_tensor(f"blk.{i}.attn_k.weight", weight(N_EMBD * N_HEAD_KV // N_HEAD, N_EMBD))
            writer.add_tensor(f"blk.{i}.attn_v.weight", weight(N_EMBD * N_HEAD_KV // N_HEAD, N_EMBD))
            writer.add_tensor(f"blk.{i}.attn_output.weight", weight(N_EMBD, N_EMBD))
            writer.add_tensor(f"blk.{i}.ffn_norm.weight", norm(N_EMBD))
            writer.add_tensor(f"blk.{i}.ffn_gate.weight", weight(N_FF, N_EMBD))
            writer.add_tensor(f"blk.{i}.ffn_up.weight", weight(N_FF, N_EMBD))
            writer.add_tensor(f"blk.{i}.ffn_down.weight", weight(N_EMBD, N_FF))
        writer.add_tensor("output_norm.weight", norm(N_EMBD))
        writer.add_tensor("output.weight", weight(n_vocab, N_EMBD, 0.5))

        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
        os.replace(tmp, path)  # atomic: a reader never sees a half-written model
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Write a tiny random-weight llama GGUF for tests.")
    parser.add_argument("output", help="path of the .gguf file to write")
    parser.add_argument("--seed", type=int, default=1234, help="RNG seed for the weights (default 1234)")
    args = parser.parse_args(argv)
    write_model(args.output, args.seed)
    print(f"wrote {args.output} ({os.path.getsize(args.output)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
