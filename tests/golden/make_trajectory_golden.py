#!/usr/bin/env python3
"""Golden loss trajectory for tests/transfer/tst_goldentrajectory.cpp (llm.c-style parity of training).

Fine-tunes the tiny BERT classifier of tests/data/models/bert (dropout switched off, so that both
sides are deterministic) on a fixed batch with the update rule of ts::Trainer written out in plain
PyTorch: AdamW with decoupled weight decay on every parameter except biases and LayerNorms, the
global gradient norm clipped, linear warm-up lr = peak * (step + 1) / (warmup + 1) and then linear
decay to zero at the last step. Each step records the loss before the update and the learning rate;
the end records the logits of the trained model.

Writes tests/data/golden/trajectory/ (config.json + model.safetensors: the starting model) and
tests/data/golden/trajectory.safetensors:
    input_ids (N,T) int64, right-padded with 0     labels (N,) int64
    loss (S,) float64, before each update           lr (S,) float64, of each update
    logits (N,C) float32, after the last update
    hyper (5,) float64: peak lr, warm-up steps, weight decay, clip norm, steps

Run with the project's venv (torch 1.13, transformers 4.40.2):
    .venv/bin/python tests/golden/make_trajectory_golden.py
"""
import os
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402
import transformers  # noqa: E402
from safetensors.torch import save_file  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "data"
SEED = 20261126
EXAMPLES = 8            # one batch: the trainer's batch order cannot change the mean loss
MIN_LEN, MAX_LEN = 4, 16
STEPS = 12
PEAK_LR = 1e-3
WARMUP = 3              # = llround(0.25 * 12), the trainer's warm-up for warmupRatio 0.25
WEIGHT_DECAY = 0.01
CLIP = 1.0


def no_decay(name):
    return "bias" in name or "LayerNorm" in name


def learning_rate(step):
    if step < WARMUP:
        return PEAK_LR * (step + 1) / (WARMUP + 1)
    return PEAK_LR * (1.0 - (step - WARMUP) / max(1, STEPS - WARMUP))


def batch(generator, vocab, classes):
    lengths = torch.randint(MIN_LEN, MAX_LEN + 1, (EXAMPLES,), generator=generator)
    ids = torch.zeros(EXAMPLES, int(lengths.max()), dtype=torch.int64)
    for row, length in enumerate(lengths.tolist()):
        ids[row, :length] = torch.randint(1, vocab, (length,), generator=generator)  # 0 is padding
    labels = torch.randint(0, classes, (EXAMPLES,), generator=generator)
    return ids, labels


def main():
    model = transformers.BertForSequenceClassification.from_pretrained(
        DATA / "models" / "bert", hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
        classifier_dropout=0.0)
    out = DATA / "golden" / "trajectory"
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out, safe_serialization=True)

    generator = torch.Generator().manual_seed(SEED)
    ids, labels = batch(generator, model.config.vocab_size, model.config.num_labels)
    mask = (ids != 0).long()

    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW([
        {"params": [p for n, p in named if not no_decay(n)], "weight_decay": WEIGHT_DECAY},
        {"params": [p for n, p in named if no_decay(n)], "weight_decay": 0.0},
    ], lr=PEAK_LR)
    model.train()
    losses, rates = [], []
    for step in range(STEPS):
        logits = model(input_ids=ids, attention_mask=mask).logits
        loss = torch.nn.functional.cross_entropy(logits, labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for _, p in named], CLIP)
        rate = learning_rate(step)
        for group in optimizer.param_groups:
            group["lr"] = rate
        optimizer.step()
        optimizer.zero_grad()
        losses.append(loss.item())
        rates.append(rate)
    model.eval()
    with torch.no_grad():
        logits = model(input_ids=ids, attention_mask=mask).logits

    save_file({
        "input_ids": ids.contiguous(),
        "labels": labels.contiguous(),
        "loss": torch.tensor(losses, dtype=torch.float64),
        "lr": torch.tensor(rates, dtype=torch.float64),
        "logits": logits.contiguous(),
        "hyper": torch.tensor([PEAK_LR, WARMUP, WEIGHT_DECAY, CLIP, STEPS], dtype=torch.float64),
    }, str(DATA / "golden" / "trajectory.safetensors"))
    print("loss", " ".join(f"{v:.6f}" for v in losses))


if __name__ == "__main__":
    main()
