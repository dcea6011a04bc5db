#pragma once

#include "text/Tokenizer.h"
#include "text/TrainerParams.h"
#include "util/Result.h"

namespace ts {

/// Trains a GPT-2-style byte-level BPE tokenizer on a stream of texts: pieces are split with
/// GPT-2's regex and spelled in its byte alphabet (all 256 bytes, so nothing is unknown), then
/// the most frequent pairs are merged. The result saves as a tokenizer.json that HF loads.
class BpeTrainer
{
public:
    /// The tokenizer learnt from the texts `source` yields.
    static Result<Tokenizer> train(const TextSource &source, const TrainerParams &params);
};

} // namespace ts
