#!/usr/bin/env python3
"""The Python side of the training benchmark: a plain PyTorch loop over the same BERT shape as
bench_training.cpp (embeddings + post-norm encoder layers + pooler + classifier, AdamW, gradient
clipping), on random token ids. Prints samples/s in the same format; like bench_training, the first
--warmup steps are not timed. --precision bf16 runs forward and loss under
torch.autocast(device, dtype=torch.bfloat16), the loss on fp32 logits, as the trainer does.

  python3 bench_training_torch.py [--layers 4] [--hidden 256] [--heads 4] [--batch 16] [--seq 128]
                                  [--steps 30] [--warmup 3] [--device cpu|cuda] [--precision fp32|bf16]
Uses Debian's python3-torch (the same libtorch version as the C++ build) when run with /usr/bin/python3.
"""
import argparse
import time

import torch


class Bert(torch.nn.Module):
    def __init__(self, vocab, hidden, layers, heads, seq):
        super().__init__()
        self.words = torch.nn.Embedding(vocab, hidden, padding_idx=0)
        self.positions = torch.nn.Embedding(max(512, seq), hidden)
        self.types = torch.nn.Embedding(2, hidden)
        self.norm = torch.nn.LayerNorm(hidden, eps=1e-12)
        layer = torch.nn.TransformerEncoderLayer(hidden, heads, 4 * hidden, dropout=0.1, activation="gelu",
                                                 batch_first=True, norm_first=False, layer_norm_eps=1e-12)
        self.encoder = torch.nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        for block in self.encoder.layers:
            # BERT has no dropout between the feed-forward layers (HF BertIntermediate); PyTorch's
            # layer does: drop it, so that both sides draw the same dropout masks.
            block.dropout = torch.nn.Identity()
        self.pooler = torch.nn.Linear(hidden, hidden)
        self.classifier = torch.nn.Linear(hidden, 2)
        self.dropout = torch.nn.Dropout(0.1)

    def forward(self, ids, mask):
        positions = torch.arange(ids.size(1), device=ids.device).unsqueeze(0)
        x = self.dropout(self.norm(self.words(ids) + self.positions(positions) + self.types(torch.zeros_like(ids))))
        x = self.encoder(x, src_key_padding_mask=mask == 0)
        return self.classifier(self.dropout(torch.tanh(self.pooler(x[:, 0]))))


def main():
    parser = argparse.ArgumentParser()
    for name, default in [("layers", 4), ("hidden", 256), ("heads", 4), ("batch", 16), ("seq", 128), ("steps", 30),
                          ("warmup", 3)]:
        parser.add_argument("--" + name, type=int, default=default)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    a = parser.parse_args()
    torch.manual_seed(0)
    model = Bert(8000, a.hidden, a.layers, a.heads, a.seq).to(a.device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5, weight_decay=0.01)
    ids = torch.randint(5, 8000, (a.batch * a.steps, a.seq), device=a.device)
    labels = torch.arange(a.batch * a.steps, device=a.device) % 2
    mask = torch.ones_like(ids)
    model.train()
    for step in range(a.steps):
        if step == a.warmup:
            start = time.perf_counter()
        rows = slice(step * a.batch, (step + 1) * a.batch)
        with torch.autocast(a.device, dtype=torch.bfloat16, enabled=a.precision == "bf16"):
            logits = model(ids[rows], mask[rows])
            loss = torch.nn.functional.cross_entropy(logits.float(), labels[rows])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad()
        loss.item()
    seconds = time.perf_counter() - start
    print(f"python layers={a.layers} hidden={a.hidden} batch={a.batch} seq={a.seq} steps={a.steps} "
          f"precision={a.precision} threads={torch.get_num_threads()} samples/s={a.batch * (a.steps - a.warmup) / seconds:.2f}")


if __name__ == "__main__":
    main()
