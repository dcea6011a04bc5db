#pragma once

#include "util/Result.h"

#include <QList>

#include <functional>

namespace ts {

/// How a causal language model continues a prompt (llama.cpp's sampling params style). Torch-free:
/// the CLI and the GUI fill it; Generator runs it.
struct GenerationParams
{
    static constexpr int kMaxNewTokens = 65536;     // upper bound of max-new-tokens
    static constexpr double kMaxTemperature = 100.0; // upper bound of temperature

    int maxNewTokens = 64;      // tokens added at most (1..kMaxNewTokens)
    double temperature = 0.0;   // 0: greedy (the likeliest token); > 0: sample from softmax(logits / temperature)
    int topK = 0;               // sample among the k likeliest tokens only; 0: all (ignored when greedy)
    double topP = 1.0;          // sample among the likeliest tokens whose probabilities first reach p; 1: all
    quint64 seed = 0;           // sampling seed: the same seed, model and prompt give the same tokens
    QList<qint64> stopTokenIds; // generation ends after one of these (EOS), which is kept in the output
    bool useCache = true;       // KV cache; false runs the whole sequence again each step (the reference)
    /// Called with each new token as soon as it is chosen (streaming), on the generating thread.
    std::function<void(qint64 token)> onToken;
    /// Polled before each step; returning true stops, keeping the tokens so far.
    std::function<bool()> abort;

    /// Checks every range; a message names the option as the CLI spells it (max-new-tokens,
    /// temperature, top-k, top-p) and its allowed values.
    Status validate() const;
};

} // namespace ts
