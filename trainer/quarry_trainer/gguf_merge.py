"""Writing a trained model back as a GGUF that llama.cpp serves.

The new file is the base GGUF with every key/value copied and every tensor copied byte for byte,
except the tensors of the modules LoRA trained, which are replaced by the merged weights: in F32
where the base tensor is F32 (exact), F16 where it is F16/BF16, and Q8_0 where it is quantised
(a Q4_1 SmolLM2 would otherwise grow from 98 MB to 412 MB with F32 merges; Q8_0 keeps it near
the base size and is finer than the base's own quantisation).
Transformers' linear weights are (out, in), the same memory order as a GGUF tensor of ggml shape
(in, out), so v/o/gate/up/down need no reshaping. q and k are different: llama.cpp's converter
permutes their rows for its RoPE layout (and transformers reverses that when it loads a GGUF), so
they are permuted back here with the converter's own formula.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Mapping

import numpy as np

import gguf

# transformers (llama family) module -> GGUF tensor name pattern.
_MODULES = {
    "self_attn.q_proj": "attn_q",
    "self_attn.k_proj": "attn_k",
    "self_attn.v_proj": "attn_v",
    "self_attn.o_proj": "attn_output",
    "mlp.gate_proj": "ffn_gate",
    "mlp.up_proj": "ffn_up",
    "mlp.down_proj": "ffn_down",
}
_LAYER = re.compile(r"(?:^|\.)layers\.(\d+)\.(self_attn\.[a-z_]+|mlp\.[a-z_]+)$")


def gguf_tensor_name(module: str) -> str | None:
    """``model.layers.3.mlp.up_proj`` -> ``blk.3.ffn_up.weight``; None for modules GGUF names differently."""
    m = _LAYER.search(module)
    if not m or m.group(2) not in _MODULES:
        return None
    return f"blk.{m.group(1)}.{_MODULES[m.group(2)]}.weight"


def llama_permute(weights: np.ndarray, n_head: int, n_head_kv: int | None) -> np.ndarray:
    """llama.cpp's convert_hf_to_gguf ``LlamaModel.permute`` (q uses n_head, k uses n_head_kv)."""
    if n_head_kv is not None and n_head != n_head_kv:
        n_head = n_head_kv
    return (
        weights.reshape(n_head, 2, weights.shape[0] // n_head // 2, *weights.shape[1:])
        .swapaxes(1, 2)
        .reshape(weights.shape)
    )


def to_gguf_layout(tensor_name: str, weight: np.ndarray, n_head: int, n_head_kv: int) -> np.ndarray:
    """A transformers (out, in) weight in the layout llama.cpp expects for ``tensor_name``."""
    weight = np.ascontiguousarray(weight, dtype=np.float32)
    if tensor_name.endswith(".attn_q.weight"):
        return llama_permute(weight, n_head, n_head)
    if tensor_name.endswith(".attn_k.weight"):
        return llama_permute(weight, n_head, n_head_kv)
    return weight


def merged_type(base_type: gguf.GGMLQuantizationType, row_length: int) -> gguf.GGMLQuantizationType:
    """The type a merged tensor is written in, given its base tensor's type."""
    T = gguf.GGMLQuantizationType
    if base_type == T.F32:
        return T.F32
    if base_type in (T.F16, T.BF16):
        return T.F16
    return T.Q8_0 if row_length % 32 == 0 else T.F16


def encode(weight: np.ndarray, kind: gguf.GGMLQuantizationType) -> np.ndarray:
    """``weight`` (F32, numpy layout) as the bytes or values GGUFWriter stores for ``kind``."""
    T = gguf.GGMLQuantizationType
    if kind == T.F32:
        return weight
    if kind == T.F16:
        return weight.astype(np.float16)
    return gguf.quants.quantize(weight, kind)


def _head_counts(reader: gguf.GGUFReader) -> tuple[int, int]:
    arch = reader.fields["general.architecture"].contents()
    n_head = int(reader.fields[f"{arch}.attention.head_count"].contents())
    kv = reader.fields.get(f"{arch}.attention.head_count_kv")
    return n_head, int(kv.contents()) if kv is not None else n_head


def write_merged(
    base: str | Path,
    out: str | Path,
    replacements: Mapping[str, np.ndarray],
    extra_metadata: Mapping[str, str] | None = None,
) -> str:
    """Writes ``base`` with ``replacements`` (GGUF tensor name -> transformers-layout weight) to ``out``.

    Returns the sha256 of the new file. The write is atomic: a reader never sees half a model.
    """
    base, out = Path(base), Path(out)
    reader = gguf.GGUFReader(str(base))
    n_head, n_head_kv = _head_counts(reader)
    names = {t.name for t in reader.tensors}
    unknown = sorted(set(replacements) - names)
    if unknown:
        raise ValueError(f"{base} has no tensor(s) {unknown}")
    arch = reader.fields["general.architecture"].contents()

    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".merge-", suffix=".gguf", dir=str(out.parent))
    os.close(fd)
    try:
        writer = gguf.GGUFWriter(tmp, arch, endianess=reader.endianess)
        for field in reader.fields.values():
            # Virtual fields and the architecture are written by GGUFWriter itself.
            if field.name == gguf.Keys.General.ARCHITECTURE or field.name.startswith("GGUF."):
                continue
            if extra_metadata and field.name in extra_metadata:
                continue
            vtype = field.types[0]
            sub_type = field.types[-1] if vtype == gguf.GGUFValueType.ARRAY else None
            writer.add_key_value(field.name, field.contents(), vtype, sub_type=sub_type)
        for key, value in (extra_metadata or {}).items():
            writer.add_key_value(key, value, gguf.GGUFValueType.STRING)

        data: list[np.ndarray] = []
        for tensor in reader.tensors:
            if tensor.name in replacements:
                merged = to_gguf_layout(tensor.name, replacements[tensor.name], n_head, n_head_kv)
                expected = tuple(int(d) for d in reversed(tensor.shape))  # ggml ne -> numpy
                if merged.shape != expected:
                    raise ValueError(f"{tensor.name}: merged shape {merged.shape} != base {expected}")
                kind = merged_type(tensor.tensor_type, merged.shape[-1])
                stored = encode(merged, kind)
                writer.add_tensor_info(tensor.name, stored.shape, stored.dtype, stored.nbytes, kind)
                data.append(stored)
            else:
                writer.add_tensor_info(
                    tensor.name, tensor.data.shape, tensor.data.dtype, tensor.data.nbytes, tensor.tensor_type
                )
                data.append(tensor.data)
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_ti_data_to_file()
        for array in data:
            writer.write_tensor_data(array, tensor_endianess=reader.endianess)
        writer.close()
        os.replace(tmp, out)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return sha256(out)


def sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
