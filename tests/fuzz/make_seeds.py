#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (tests/fuzz/<target>/seeds/) from the fixtures in
tests/data and a few hand-made edge cases. Run from anywhere:

    python3 tests/fuzz/make_seeds.py [--cli build/release/bin/transfer-studio-cli]

The project seeds need the CLI (a current-format project with a corpus); without it only the
old-format seed (from tests/data/project-v1.sql) is written. Seeds are kept small (a few kB) so
that mutations stay fast.
"""
import argparse
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tempfile

FUZZ = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(FUZZ, "..", "data")
PAGE_BYTES = 512  # SQLite's smallest page: a project of 30 tables fits in ~20 kB


def seeds(target):
    folder = os.path.join(FUZZ, target, "seeds")
    os.makedirs(folder, exist_ok=True)
    return folder


def write(target, name, data):
    with open(os.path.join(seeds(target), name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def safetensors(tensors, metadata=None):
    """A safetensors file; `tensors` maps name -> (dtype, shape, raw bytes)."""
    header, offset, body = {}, 0, b""
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        body += raw
    text = json.dumps(header, separators=(",", ":")).encode()
    return struct.pack("<Q", len(text)) + text + body


def make_safetensors():
    shutil.copy(os.path.join(DATA, "models", "minilm-reference.safetensors"), seeds("safetensors"))
    write("safetensors", "empty.safetensors", safetensors({}))
    write("safetensors", "dtypes.safetensors", safetensors({
        "a.f32": ("F32", [2, 2], struct.pack("<4f", 1, 2, 3, 4)),
        "b.f16": ("F16", [3], b"\x00\x3c" * 3),
        "c.bf16": ("BF16", [1, 2], b"\x80\x3f" * 2),
        "d.i64": ("I64", [1], struct.pack("<q", -7)),
        "e.bool": ("BOOL", [2], b"\x01\x00"),
        "f.scalar": ("F64", [], struct.pack("<d", 0.5)),
        "g.zero": ("I8", [0, 4], b""),
    }, {"format": "pt"}))
    # The header padded with spaces to a multiple of 8 bytes, as Hugging Face writes it.
    padded = safetensors({"w": ("U8", [4], b"\x01\x02\x03\x04")})
    text = padded[8:-4] + b" " * 6
    write("safetensors", "padded.safetensors", struct.pack("<Q", len(text)) + text + padded[-4:])


def make_modelconfig():
    for group, prefix in (("models", ""), (os.path.join("models", "decoders"), "decoder-")):
        for folder in sorted(os.listdir(os.path.join(DATA, group))):
            config = os.path.join(DATA, group, folder, "config.json")
            if os.path.isfile(config):
                shutil.copy(config, os.path.join(seeds("modelconfig"), prefix + folder + ".json"))


def make_tokenizers():
    folder = os.path.join(DATA, "tokenizers")
    names = sorted(n for n in os.listdir(folder) if n.endswith(".tokenizer.json"))
    for name in names:
        shutil.copy(os.path.join(folder, name), seeds("tokenizer"))
    # tokenize: tokenizer selector (index in that sorted list), option bits, max length, text.
    texts = ["Hello, world! The quick brown fox.", "Caf\u00e9 na\u00efve \u4f60\u597d \U0001F600 [MASK] <s>",
             "first text\x1fsecond text of the pair", "  spaces\tand\nnewlines  "]
    settings = ((0x01, texts[0]), (0x03, texts[1]), (0x17, texts[2]), (0x37, texts[3]))
    for index, name in enumerate(names):
        flags, text = settings[index % len(settings)]
        write("tokenize", name.split(".")[0], bytes([index, flags, 8]) + text.encode("utf-8"))


def make_corpora():
    corpus = os.path.join(DATA, "corpus")
    # csv options: bits 0-1 format (Auto, CSV, TSV, CSV), 2 header, 3-4 delimiter (detect , ; |),
    # 5 label column "1", 6 text column "0", 7 windows-1252.
    for name, options in (("reviews.csv", 0x05), ("reviews.tsv", 0x02 | 0x20 | 0x40), ("tickets.csv", 0x04),
                          ("latin1.tsv", 0x02 | 0x04 | 0x80), ("lines.txt", 0x00)):
        with open(os.path.join(corpus, name), "rb") as f:
            write("csv", name, bytes([options]) + f.read())
    write("csv", "crlf-pipe.csv", bytes([0x01 | 0x04 | 0x18]) + b'text|label\r\n"a ""b"" c"|x\r\n\xef\xbb\xbfd|y\r\n')
    # jsonl options: bit 0 Auto, 1 label field "label", 2 text field "body", 3 unlabelled, 4 UTF-16.
    with open(os.path.join(corpus, "reviews.jsonl"), "rb") as f:
        reviews = f.read()
    write("jsonl", "reviews.jsonl", bytes([0x00]) + reviews)
    write("jsonl", "reviews-auto.jsonl", bytes([0x01 | 0x08]) + reviews)
    write("jsonl", "body.jsonl", bytes([0x06]) + '{"body": "caf\u00e9 \\u00e9", "label": 3}\n[1]\n{"body": 5}\n'.encode())
    write("jsonl", "utf16.jsonl", bytes([0x10]) + '\ufeff{"text": "wide", "label": "x"}\n'.encode("utf-16-le"))


def shrink(path):
    """Rewrites the SQLite file at `path` with the smallest pages, outside WAL mode."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = DELETE")
    db.execute("PRAGMA page_size = %d" % PAGE_BYTES)
    db.execute("VACUUM")
    db.close()


def make_projects(cli):
    with tempfile.TemporaryDirectory() as tmp:
        old = os.path.join(tmp, "v1.tstudio")
        db = sqlite3.connect(old)
        with open(os.path.join(DATA, "project-v1.sql")) as f:
            db.executescript(f.read())
        db.close()
        shrink(old)
        shutil.copy(old, os.path.join(seeds("project"), "format1.tstudio"))
        if not cli:
            return
        current = os.path.join(tmp, "current.tstudio")
        subprocess.run([cli, "create", current], check=True)
        subprocess.run([cli, "import", current, "--corpus", "reviews", "--file",
                        os.path.join(DATA, "corpus", "reviews.csv")], check=True)
        shrink(current)
        shutil.copy(current, os.path.join(seeds("project"), "current.tstudio"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", help="transfer-studio-cli, for the current-format project seed")
    args = parser.parse_args()
    make_safetensors()
    make_modelconfig()
    make_tokenizers()
    make_corpora()
    make_projects(args.cli)


if __name__ == "__main__":
    main()
