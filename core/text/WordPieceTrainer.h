#pragma once

#include "text/Tokenizer.h"
#include "text/TrainerParams.h"
#include "util/Result.h"

namespace ts {

/// Trains a BERT-style WordPiece tokenizer on a stream of texts, as Hugging Face's
/// WordPieceTrainer does: words are BERT-normalised and pre-tokenised, spelled with their first
/// character and "##"-prefixed continuation characters, and the most frequent pairs are merged
/// into the vocabulary. The result saves as a tokenizer.json that HF loads.
class WordPieceTrainer
{
public:
    /// The tokenizer learnt from the texts `source` yields.
    static Result<Tokenizer> train(const TextSource &source, const TrainerParams &params);
};

} // namespace ts
