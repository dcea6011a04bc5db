#pragma once

namespace ts {

/// Architecture families Transfer Studio builds in libtorch. Each covers several `model_type`s.
enum class ModelFamily {
    Bert,       // bert (MiniLM, BGE, E5 are BERT checkpoints)
    Roberta,    // roberta, xlm-roberta, camembert: BERT layout, positions offset by padding_idx + 1
    DistilBert, // distilbert
    Gpt2,       // gpt2: Conv1D weights stored (in, out)
    Llama,      // llama, mistral, qwen2 (q/k/v bias), qwen3 (q/k norms), SmolLM: RMSNorm, rotary, SwiGLU, GQA
};

/// What a model is used for; selects the head put on the backbone.
enum class ModelTask {
    Embedding,              // backbone only: hidden states, pooled by the caller
    SequenceClassification, // HF *ForSequenceClassification layout
    MaskedLm,               // encoders: HF *ForMaskedLM layout
    CausalLm,               // decoders: HF *ForCausalLM / GPT2LMHeadModel layout
};

/// Activation functions named in config.json.
enum class Activation {
    Gelu,     // "gelu" (erf)
    GeluTanh, // "gelu_new", "gelu_pytorch_tanh", "gelu_fast"
    Relu,     // "relu"
    Silu,     // "silu", "swish"
};

} // namespace ts
