import numpy as np
import pytest

import gguf
from quarry_trainer import gguf_merge


def tensors(path):
    return {t.name: (t.tensor_type, np.array(t.data)) for t in gguf.GGUFReader(str(path)).tensors}


def fields(path):
    reader = gguf.GGUFReader(str(path))
    return {f.name: f.contents() for f in reader.fields.values() if not f.name.startswith("GGUF.")}


def test_module_names_map_to_llama_cpp_tensors():
    assert gguf_merge.gguf_tensor_name("model.layers.3.mlp.up_proj") == "blk.3.ffn_up.weight"
    assert gguf_merge.gguf_tensor_name("base_model.model.model.layers.0.self_attn.o_proj") == "blk.0.attn_output.weight"
    assert gguf_merge.gguf_tensor_name("model.layers.1.self_attn.q_proj") == "blk.1.attn_q.weight"
    assert gguf_merge.gguf_tensor_name("lm_head") is None


def test_transformers_weights_written_back_reproduce_the_base_exactly(tiny_copy, tmp_path):
    """Loading through transformers (which un-permutes q/k) and writing back must be the identity."""
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(str(tiny_copy.parent), gguf_file=tiny_copy.name)
    replacements = {}
    for name, module in model.named_modules():
        tensor = gguf_merge.gguf_tensor_name(name)
        if tensor is not None:
            replacements[tensor] = module.weight.detach().numpy()
    assert len(replacements) == 2 * 7
    out = tmp_path / "same.gguf"
    digest = gguf_merge.write_merged(tiny_copy, out, replacements)
    base, written = tensors(tiny_copy), tensors(out)
    assert base.keys() == written.keys()
    for name, (kind, data) in base.items():
        assert written[name][0] == kind
        np.testing.assert_array_equal(written[name][1], data, err_msg=name)
    assert fields(out) == fields(tiny_copy)
    assert digest == gguf_merge.sha256(out)


def test_replaced_tensors_change_and_everything_else_is_copied(tiny_copy, tmp_path):
    base = tensors(tiny_copy)
    v = base["blk.1.attn_v.weight"][1]
    new_v = v + np.float32(0.5)
    out = tmp_path / "merged.gguf"
    digest = gguf_merge.write_merged(tiny_copy, out, {"blk.1.attn_v.weight": new_v}, {"general.name": "quarry t v1"})
    written = tensors(out)
    np.testing.assert_array_equal(written["blk.1.attn_v.weight"][1], new_v)
    for name in base:
        if name != "blk.1.attn_v.weight":
            np.testing.assert_array_equal(written[name][1], base[name][1], err_msg=name)
    meta = fields(out)
    assert meta["general.name"] == "quarry t v1"
    assert meta["tokenizer.chat_template"] == fields(tiny_copy)["tokenizer.chat_template"]
    assert digest != gguf_merge.sha256(tiny_copy)


def test_a_wrong_shape_or_unknown_tensor_is_refused_and_leaves_no_file(tiny_copy, tmp_path):
    out = tmp_path / "x.gguf"
    with pytest.raises(ValueError, match="no tensor"):
        gguf_merge.write_merged(tiny_copy, out, {"blk.9.attn_v.weight": np.zeros((64, 64), np.float32)})
    with pytest.raises(ValueError, match="shape"):
        gguf_merge.write_merged(tiny_copy, out, {"blk.0.attn_v.weight": np.zeros((3, 64), np.float32)})
    assert list(tmp_path.glob("*.gguf")) == []


def test_merged_tensors_keep_f32_and_quantised_bases_get_q8_0():
    T = gguf.GGMLQuantizationType
    assert gguf_merge.merged_type(T.F32, 64) == T.F32
    assert gguf_merge.merged_type(T.BF16, 64) == T.F16
    assert gguf_merge.merged_type(T.Q4_1, 576) == T.Q8_0
    assert gguf_merge.merged_type(T.Q4_1, 50) == T.F16
    w = np.random.default_rng(0).standard_normal((8, 64)).astype(np.float32)
    back = gguf.quants.dequantize(gguf_merge.encode(w, T.Q8_0), T.Q8_0)
    assert back.shape == w.shape and np.abs(back - w).max() < 0.05


def test_a_quantised_base_is_written_with_q8_0_merges_that_read_back(tiny_copy, tmp_path):
    """Base: the tiny model with two projections in Q8_0; one is merged, the other copied."""
    T = gguf.GGMLQuantizationType
    base = tensors(tiny_copy)
    quantised = tmp_path / "q.gguf"
    reader = gguf.GGUFReader(str(tiny_copy))
    writer = gguf.GGUFWriter(str(quantised), "llama")
    for field in reader.fields.values():
        if field.name == "general.architecture" or field.name.startswith("GGUF."):
            continue
        vtype = field.types[0]
        writer.add_key_value(field.name, field.contents(), vtype,
                             sub_type=field.types[-1] if vtype == gguf.GGUFValueType.ARRAY else None)
    for t in reader.tensors:
        if t.name in ("blk.0.ffn_up.weight", "blk.0.ffn_down.weight"):
            writer.add_tensor(t.name, gguf.quants.quantize(np.array(t.data), T.Q8_0), raw_dtype=T.Q8_0)
        else:
            writer.add_tensor(t.name, np.array(t.data))
    writer.write_header_to_file(); writer.write_kv_data_to_file(); writer.write_tensors_to_file(); writer.close()

    new_up = base["blk.0.ffn_up.weight"][1] * np.float32(1.5)
    out = tmp_path / "merged.gguf"
    gguf_merge.write_merged(quantised, out, {"blk.0.ffn_up.weight": new_up})
    written = {t.name: t for t in gguf.GGUFReader(str(out)).tensors}
    up = written["blk.0.ffn_up.weight"]
    assert up.tensor_type == T.Q8_0
    assert np.abs(gguf.quants.dequantize(np.array(up.data), T.Q8_0) - new_up).max() < 0.05
    kept = {t.name: t for t in gguf.GGUFReader(str(quantised)).tensors}["blk.0.ffn_down.weight"]
    np.testing.assert_array_equal(np.array(written["blk.0.ffn_down.weight"].data), np.array(kept.data))
