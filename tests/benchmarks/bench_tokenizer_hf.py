#!/usr/bin/env python3
"""Hugging Face `tokenizers` throughput on one thread: a plain encode() loop over the lines of
text files (no encode_batch), printing MB/s of UTF-8 input. Companion of bench_tokenizer.cpp.

Usage: RAYON_NUM_THREADS=1 python bench_tokenizer_hf.py TOKENIZER_JSON MAX_MEGABYTES FILE...
"""
import os
import sys
import time

os.environ.setdefault("RAYON_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from tokenizers import Tokenizer  # noqa: E402  (after the thread settings)

WARMUP_LINES = 2000  # as the C++ benchmark


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: bench_tokenizer_hf.py TOKENIZER_JSON MAX_MEGABYTES FILE...")
    tok = Tokenizer.from_file(sys.argv[1])
    tok.no_truncation()
    tok.no_padding()
    max_bytes = float(sys.argv[2]) * 1024 * 1024
    lines, size = [], 0
    for path in sys.argv[3:]:
        with open(path, "rb") as f:
            for raw in f:
                if size >= max_bytes:
                    break
                size += len(raw)
                lines.append(raw.decode("utf-8", errors="replace"))
    for line in lines[:WARMUP_LINES]:
        tok.encode(line)
    start = time.perf_counter()
    tokens = 0
    for line in lines:
        tokens += len(tok.encode(line).ids)
    seconds = time.perf_counter() - start
    print("hf %.3f MB/s (%d lines, %.2f MB, %d tokens, %.3f s)" % (size / 1e6 / seconds, len(lines), size / 1e6,
                                                                    tokens, seconds))


if __name__ == "__main__":
    main()
