#!/usr/bin/env python3
"""Golden label-word log-probabilities of a prompt on tiny decoders, from Hugging Face transformers.

For each fixture below (tests/data/models/<fixture>, a *ForCausalLM folder), writes
tests/data/prompts/<name>.json with
  prompt_ids      the prompt's token ids (a fixed list: no tokenizer is involved)
  word_ids        one id list per label word: one word of one token, one of three
  token_logprobs  per word, log p(token_j | prompt, word tokens before j), as transformers computes it
  sum, mean       per word, the sum and the mean of token_logprobs
tests/transfer/tst_prompts.cpp checks LabelWordScorer against them (within 1e-4).

Run with the venv holding torch and transformers (made with torch 2.15, transformers 5.25):
    /work/venv/bin/python tests/golden/make_prompt_golden.py
"""
import json
import os
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402
import transformers  # noqa: E402

ROOT = Path(__file__).resolve().parents[1] / "data"
FIXTURES = {"gpt2-lm": "models/gpt2-lm", "qwen2.5": "models/decoders/qwen2.5"}
PROMPT_IDS = [5, 17, 42, 8, 63, 21, 9, 30, 11, 4]
WORD_IDS = [[27], [33, 7, 50]]


def main():
    out = ROOT / "prompts"
    out.mkdir(exist_ok=True)
    for name, folder in FIXTURES.items():
        model = transformers.AutoModelForCausalLM.from_pretrained(ROOT / folder, dtype=torch.float32)
        model.eval()
        token_logprobs = []
        with torch.no_grad():
            for word in WORD_IDS:
                ids = torch.tensor([PROMPT_IDS + word])
                logprobs = torch.log_softmax(model(input_ids=ids).logits[0].double(), -1)
                start = len(PROMPT_IDS)
                token_logprobs.append([logprobs[start + j - 1, t].item() for j, t in enumerate(word)])
        record = {
            "fixture": folder,
            "prompt_ids": PROMPT_IDS,
            "word_ids": WORD_IDS,
            "token_logprobs": token_logprobs,
            "sum": [sum(v) for v in token_logprobs],
            "mean": [sum(v) / len(v) for v in token_logprobs],
            "transformers": transformers.__version__,
        }
        (out / f"{name}.json").write_text(json.dumps(record, indent=1) + "\n")
        print(name, record["sum"], record["mean"])


if __name__ == "__main__":
    main()
