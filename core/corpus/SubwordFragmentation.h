#pragma once

#include <QtGlobal>

namespace ts {

/// How finely a model's tokenizer cuts one domain's words: a tokenizer trained far from the
/// domain splits its words into more pieces. Words are whitespace-separated; plain values.
struct SubwordFragmentation
{
    qint64 documents = 0;  ///< documents tokenized (a uniform sample of the corpus)
    qint64 words = 0;      ///< whitespace-separated words that got at least one token
    qint64 tokens = 0;     ///< sub-word tokens of those words (special tokens not counted)
    qint64 splitWords = 0; ///< words cut into more than one token

    /// Mean sub-word tokens per word (1 = no word split); 0 without words.
    double tokensPerWord() const { return words ? double(tokens) / double(words) : 0.0; }
    /// Share of the words cut into more than one token, in [0, 1].
    double splitShare() const { return words ? double(splitWords) / double(words) : 0.0; }
};

} // namespace ts
