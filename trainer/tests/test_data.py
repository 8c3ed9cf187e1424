import json
from pathlib import Path

import pytest

from quarry_trainer import data


def write(path: Path, rows) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


def chat(user: str, answer: str) -> dict:
    return {"messages": [{"role": "system", "content": "S"}, {"role": "user", "content": user},
                         {"role": "assistant", "content": answer}]}


def test_chat_rows_split_into_prompt_and_completion(tmp_path):
    rows = data.load_sft(write(tmp_path / "round-0.rft.jsonl", [chat("u1", "a1"), "", chat("u2", "a2")]))
    assert [r.completion for r in rows] == ["a1", "a2"]
    assert rows[0].chat and rows[0].prompt == [{"role": "system", "content": "S"}, {"role": "user", "content": "u1"}]


def test_prompt_completion_rows_are_raw_text(tmp_path):
    rows = data.load_sft(write(tmp_path / "q.jsonl", [{"prompt": "Problem:", "completion": " find x"}]))
    assert not rows[0].chat and rows[0].prompt == "Problem:" and rows[0].completion == " find x"


def test_an_empty_export_has_no_rows(tmp_path):
    assert data.load_sft(write(tmp_path / "e.jsonl", [])) == []


@pytest.mark.parametrize(
    "row, message",
    [
        ("{not json", "not JSON"),
        ({"messages": [{"role": "user", "content": "x"}, {"role": "user", "content": "y"}]}, "assistant"),
        ({"messages": [{"role": "assistant"}]}, "prompt and an answer"),
        ({"text": "x"}, "expected {messages} or {prompt, completion}"),
    ],
)
def test_bad_rows_name_file_line_and_problem(tmp_path, row, message):
    path = write(tmp_path / "bad.jsonl", [chat("u", "a"), row])
    with pytest.raises(data.DataError) as e:
        data.load_sft(path)
    assert f"{path}:2" in str(e.value) and message in str(e.value)


def test_dpo_pairs_and_their_file_beside_the_rft_export(tmp_path):
    assert data.dpo_path_for("/x/round-3.rft.jsonl") == "/x/round-3.dpo.jsonl"
    rows = data.load_preferences(write(tmp_path / "p.jsonl", [{"prompt": "p", "chosen": "c", "rejected": "r"}]))
    assert rows == [data.PreferenceRow("p", "c", "r")]
    with pytest.raises(data.DataError):
        data.load_preferences(write(tmp_path / "q.jsonl", [{"prompt": "p", "chosen": "c"}]))


class CharTokenizer:
    """One token per character, eos = 0; the chat template joins role: content lines."""

    eos_token_id = 0

    def __call__(self, text, add_special_tokens=False):
        return {"input_ids": [ord(c) for c in text]}

    def apply_chat_template(self, messages, tokenize=False, add_generation_prompt=False):
        return "".join(f"{m['role']}:{m['content']}\n" for m in messages) + ("assistant:" if add_generation_prompt else "")


def test_only_the_completion_and_its_end_token_are_trained_on():
    rows = [data.SftRow([{"role": "user", "content": "hi"}], "yo")]
    [t], dropped = data.tokenize_sft(CharTokenizer(), rows, 100)
    prompt = "user:hi\nassistant:"
    assert t.input_ids == [ord(c) for c in prompt] + [ord("y"), ord("o"), 0]
    assert t.completion_mask == [0] * len(prompt) + [1, 1, 1]
    assert dropped == []


def test_long_rows_keep_the_end_of_the_prompt_and_the_start_of_the_completion():
    rows = [data.SftRow("P" * 50 + "END", "C" * 40)]
    [t], _ = data.tokenize_sft(CharTokenizer(), rows, 32)
    assert len(t.input_ids) == 32
    prompt_len = t.completion_mask.index(1)
    assert prompt_len == 8  # a quarter of the window stays for the prompt
    assert "".join(map(chr, t.input_ids[:prompt_len])).endswith("END")
    assert t.input_ids[prompt_len:] == [ord("C")] * 24


def test_a_row_with_nothing_left_to_learn_is_dropped_with_a_reason():
    class NoEos(CharTokenizer):
        eos_token_id = None

    kept, dropped = data.tokenize_sft(NoEos(), [data.SftRow("p", ""), data.SftRow("p", "c")], 8)
    assert len(kept) == 1 and dropped == ["row 0: empty completion"]
