#!/usr/bin/env python3
"""The GPU reference of the training benchmark: Hugging Face BertForSequenceClassification (eager,
or torch.compile with --compile) on the same shape, batch and random token ids as bench_training,
bf16 autocast, fused AdamW, gradient clipping, the loss read back every step. The first --warmup
steps are not timed. Prints the same fields as bench_training: samples/s, tokens/s and MFU
(6 x non-embedding parameters + 12 x layers x hidden x seq FLOPs per token against --peak-tflops).

  python3 bench_training_hf.py [--layers 12] [--hidden 768] [--heads 12] [--intermediate 3072]
                               [--vocab 30522] [--batch 32] [--seq 128] [--steps 60] [--warmup 10]
                               [--compile] [--peak-tflops 989]
"""
import argparse
import time

import torch
from transformers import BertConfig, BertForSequenceClassification


def main():
    parser = argparse.ArgumentParser()
    for name, default in [("layers", 12), ("hidden", 768), ("heads", 12), ("intermediate", 0), ("vocab", 30522),
                          ("batch", 32), ("seq", 128), ("steps", 60), ("warmup", 10)]:
        parser.add_argument("--" + name, type=int, default=default)
    parser.add_argument("--peak-tflops", type=float, default=989.0)
    parser.add_argument("--compile", action="store_true")
    a = parser.parse_args()
    torch.manual_seed(0)
    config = BertConfig(vocab_size=a.vocab, hidden_size=a.hidden, num_hidden_layers=a.layers,
                        num_attention_heads=a.heads, intermediate_size=a.intermediate or 4 * a.hidden,
                        max_position_embeddings=max(512, a.seq), num_labels=2)
    model = BertForSequenceClassification(config).cuda()
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5, weight_decay=0.01, fused=True)
    forward = torch.compile(model) if a.compile else model
    ids = torch.randint(5, a.vocab, (a.batch * a.steps, a.seq), device="cuda")
    labels = torch.arange(a.batch * a.steps, device="cuda") % 2
    mask = torch.ones_like(ids)
    model.train()
    start = None
    for step in range(a.steps):
        if step == a.warmup:
            torch.cuda.synchronize()
            start = time.perf_counter()
        rows = slice(step * a.batch, (step + 1) * a.batch)
        with torch.autocast("cuda", dtype=torch.bfloat16):
            loss = forward(input_ids=ids[rows], attention_mask=mask[rows], labels=labels[rows]).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad()
        loss.item()
    torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    samples = a.batch * (a.steps - a.warmup) / seconds
    parameters = sum(p.numel() for n, p in model.named_parameters() if "embeddings" not in n)
    flops_per_token = 6 * parameters + 12 * a.layers * a.hidden * a.seq
    tokens = samples * a.seq
    print(f"hf{'-compile' if a.compile else ''} layers={a.layers} hidden={a.hidden} batch={a.batch} seq={a.seq} "
          f"steps={a.steps} device=cuda samples/s={samples:.2f} tokens/s={tokens:.0f} "
          f"mfu={100 * tokens * flops_per_token / (a.peak_tflops * 1e12):.1f}%")


if __name__ == "__main__":
    main()
