#!/usr/bin/env python3
"""Golden fixtures for today's decoders: tiny random Hugging Face causal LMs and their outputs.

Writes tests/data/models/decoders/<variant>/ for each variant below: config.json and model.safetensors
(a *ForCausalLM folder, as save_pretrained writes it) and reference.safetensors with
  input_ids, attention_mask  (B,T) right-padded batch, long enough to pass every sliding window and
                             the dynamic / YaRN / llama3 thresholds of the variants
  lm_logits                  (B,T,V) the model's logits for that batch
  prompt_ids                 (1,P) a prompt
  greedy_ids                 (1,32) what generate(do_sample=False) adds to it (no end-of-text stop)
  greedy_margin              (32) top-1 minus top-2 logit at each greedy step: how far each choice is
                             from a tie, so that a test failing on a token can tell a bug from noise.
tests/model/tst_decoderparity.cpp compares Transfer Studio's logits (within 1e-4) and greedy tokens.

The variants cover Llama's rope_scaling types (llama3, linear, dynamic, yarn), Mistral's sliding
window, Qwen2.5 (tied embeddings, q/k/v biases) and Qwen3 (per-head q/k RMSNorm, head_dim apart from
hidden_size / heads, sliding window on the upper layers). `llama-rope-llama3` is rewritten in the layout
Hugging Face hub checkpoints have (`rope_scaling` + top-level `rope_theta`, as Llama 3.2's config.json)
and checked to give the same logits; the others keep the `rope_parameters` layout of transformers 5.

Run with a venv holding torch and transformers (made with torch 2.15, transformers 5.25):
    /work/venv/bin/python tests/golden/make_decoder_golden.py [VARIANT ...]
"""
import json
import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402
import transformers  # noqa: E402
from safetensors.torch import save_file  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "data" / "models" / "decoders"
SEED = 20261206
WEIGHT_STD = 0.35      # weights drawn N(0, 0.35^2): large enough that greedy output is varied
MIN_MARGIN = 1e-3      # every greedy step's top-1 lead must exceed this (else the seed is changed)
VOCAB = 100
HIDDEN = 32
LAYERS = 2
HEADS = 4
KV_HEADS = 2
INTERMEDIATE = 64
LENGTHS = [24, 21, 19]  # real tokens per row; padding never fills a whole sliding window
PROMPT = 8
NEW_TOKENS = 32


def common(**extra):
    values = dict(vocab_size=VOCAB, hidden_size=HIDDEN, num_hidden_layers=LAYERS, num_attention_heads=HEADS,
                  num_key_value_heads=KV_HEADS, intermediate_size=INTERMEDIATE, rms_norm_eps=1e-5,
                  pad_token_id=0, bos_token_id=1, eos_token_id=2, attn_implementation="eager")
    values.update(extra)
    return values


def llama(max_positions, rope):
    def factory():
        return transformers.LlamaConfig(**common(max_position_embeddings=max_positions, tie_word_embeddings=False,
                                                 rope_parameters=dict(rope)))
    return factory


VARIANTS = {
    # head_dim 8: wavelengths 6.3, 63, 628, 6283 fall below, between and above 64/4 .. 64/1.
    "llama-rope-llama3": (llama(512, {"rope_type": "llama3", "rope_theta": 10000.0, "factor": 8.0,
                                      "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                      "original_max_position_embeddings": 64}),
                          "LlamaForCausalLM"),
    "llama-rope-linear": (llama(128, {"rope_type": "linear", "rope_theta": 10000.0, "factor": 2.0}),
                          "LlamaForCausalLM"),
    # max_position_embeddings 16: the 24-token batch and greedy steps past 16 tokens rescale the base.
    "llama-rope-dynamic": (llama(16, {"rope_type": "dynamic", "rope_theta": 10000.0, "factor": 2.0}),
                           "LlamaForCausalLM"),
    # original 256, base 10000, d 8: correction range [0, 2] gives ramp 0, 0.5, 1, 1 over the 4 frequencies.
    "llama-rope-yarn": (llama(1024, {"rope_type": "yarn", "rope_theta": 10000.0, "factor": 4.0,
                                     "original_max_position_embeddings": 256}),
                        "LlamaForCausalLM"),
    "mistral": (lambda: transformers.MistralConfig(**common(max_position_embeddings=256, sliding_window=8,
                                                            tie_word_embeddings=False, rope_theta=10000.0)),
                "MistralForCausalLM"),
    "qwen2.5": (lambda: transformers.Qwen2Config(**common(max_position_embeddings=256, tie_word_embeddings=True,
                                                          rope_theta=1000000.0, rms_norm_eps=1e-6)),
                "Qwen2ForCausalLM"),
    # head_dim 16 while hidden / heads is 8; layer 0 full attention, layer 1 a window of 6.
    "qwen3": (lambda: transformers.Qwen3Config(**common(max_position_embeddings=256, tie_word_embeddings=True,
                                                        head_dim=16, rope_theta=1000000.0, rms_norm_eps=1e-6,
                                                        use_sliding_window=True, sliding_window=6,
                                                        max_window_layers=1)),
              "Qwen3ForCausalLM"),
}

# Written in the hub layout (rope_scaling + rope_theta at the top level) after generation.
HUB_LAYOUT = {"llama-rope-llama3"}


def randomise(model, seed):
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            noise = torch.randn(parameter.shape, generator=generator) * WEIGHT_STD
            if name.endswith("norm.weight"):   # RMSNorm gains around 1
                parameter.copy_(1 + noise)
            else:
                parameter.copy_(noise)


def fixed_inputs(seed):
    """(B,T) ids avoiding special ids 0..4, right-padded with 0, the mask, and a (1,P) prompt."""
    generator = torch.Generator().manual_seed(seed)
    ids = torch.randint(5, VOCAB, (len(LENGTHS), max(LENGTHS)), generator=generator)
    mask = torch.zeros_like(ids)
    for row, length in enumerate(LENGTHS):
        mask[row, :length] = 1
        ids[row, length:] = 0
    prompt = torch.randint(5, VOCAB, (1, PROMPT), generator=generator)
    return ids, mask, prompt


def build(name, seed):
    factory, class_name = VARIANTS[name]
    config = factory()
    model = getattr(transformers, class_name)(config).eval()
    randomise(model, seed)
    model.generation_config.eos_token_id = None  # always NEW_TOKENS tokens
    model.generation_config.pad_token_id = 0
    return model


def greedy(model, prompt, use_cache):
    out = model.generate(prompt, attention_mask=torch.ones_like(prompt), do_sample=False,
                         max_new_tokens=NEW_TOKENS, use_cache=use_cache, output_scores=True,
                         return_dict_in_generate=True)
    scores = torch.stack(out.scores, 1)[0]                       # (NEW_TOKENS,V)
    top = scores.topk(2, -1).values
    return out.sequences[:, PROMPT:].contiguous(), (top[:, 0] - top[:, 1]).contiguous()


def rewrite_hub_layout(folder):
    path = folder / "config.json"
    config = json.loads(path.read_text())
    rope = config.pop("rope_parameters")
    config["rope_theta"] = rope.pop("rope_theta")
    config["rope_scaling"] = rope
    path.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")


def generate(name):
    # Dynamic NTK with a KV cache keeps keys rotated with the frequencies of shorter lengths; every
    # step recomputed (use_cache=False) is what the formula means and what Generator does (it drops
    # its cache for dynamic scaling once the sequence outgrows max_position_embeddings).
    use_cache = name != "llama-rope-dynamic"
    for attempt in range(20):
        seed = SEED + 1000 * attempt
        ids, mask, prompt = fixed_inputs(seed)
        logits = build(name, seed)(input_ids=ids, attention_mask=mask).logits
        tokens, margins = greedy(build(name, seed), prompt, use_cache)
        if margins.min().item() > MIN_MARGIN and tokens.unique().numel() > NEW_TOKENS // 4:
            break
    else:
        raise SystemExit(f"{name}: no seed gave clear, varied greedy steps")
    folder = OUT / name
    shutil.rmtree(folder, ignore_errors=True)
    model = build(name, seed)
    model.save_pretrained(folder, safe_serialization=True)
    (folder / "generation_config.json").unlink(missing_ok=True)
    if name in HUB_LAYOUT:
        rewrite_hub_layout(folder)
    reloaded = transformers.AutoModelForCausalLM.from_pretrained(folder, attn_implementation="eager").eval()
    again = reloaded(input_ids=ids, attention_mask=mask).logits
    assert torch.equal(again, logits), f"{name}: the saved folder gives other logits"
    save_file({"input_ids": ids.contiguous(), "attention_mask": mask.contiguous(), "lm_logits": logits.contiguous(),
               "prompt_ids": prompt.contiguous(), "greedy_ids": tokens, "greedy_margin": margins},
              str(folder / "reference.safetensors"), metadata={"format": "pt"})
    print(f"{name}: seed {seed}, logits {tuple(logits.shape)} max |.| {logits.abs().max():.2f}, "
          f"greedy {tokens[0].tolist()}, smallest margin {margins.min():.4f}")


def main():
    names = sys.argv[1:] or list(VARIANTS)
    unknown = [name for name in names if name not in VARIANTS]
    if unknown:
        raise SystemExit(f"unknown variant(s) {unknown}; known: {', '.join(VARIANTS)}")
    torch.set_grad_enabled(False)
    for name in names:
        generate(name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
