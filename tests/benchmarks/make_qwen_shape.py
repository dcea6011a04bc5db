"""Writes a randomly initialised model of Qwen2.5-0.5B's shape (494 M parameters, bf16 safetensors,
no tokenizer) for bench_lora_decoder; the folder is a measurement input, never committed.

    /work/venv/bin/python tests/benchmarks/make_qwen_shape.py OUT_DIR [--dtype bfloat16|float32]
"""
import argparse

import torch
from transformers import Qwen2Config, Qwen2ForCausalLM


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--dtype", default="bfloat16", choices=["bfloat16", "float32"])
    args = parser.parse_args()
    torch.manual_seed(0)
    # Qwen/Qwen2.5-0.5B's config.json, the fields that size it.
    config = Qwen2Config(vocab_size=151936, hidden_size=896, intermediate_size=4864, num_hidden_layers=24,
                         num_attention_heads=14, num_key_value_heads=2, max_position_embeddings=32768,
                         rope_theta=1000000.0, rms_norm_eps=1e-6, tie_word_embeddings=True,
                         use_sliding_window=False)
    model = Qwen2ForCausalLM(config).to(getattr(torch, args.dtype))
    model.save_pretrained(args.out, safe_serialization=True)
    print(args.out, sum(p.numel() for p in model.parameters()), "parameters", args.dtype)


if __name__ == "__main__":
    main()
