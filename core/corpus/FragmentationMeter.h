#pragma once

#include "corpus/SubwordFragmentation.h"

#include <QString>

namespace ts {

class Tokenizer;

/// Measures SubwordFragmentation: tokenizes documents (without special tokens) and gives each
/// token to the whitespace-separated word holding its first non-space character (byte-level BPE
/// tokens carry the space before a word). Tokens of whitespace alone belong to no word.
class FragmentationMeter
{
public:
    /// Adds the words and tokens of `text` under `tokenizer` to `into`.
    static void add(const Tokenizer &tokenizer, const QString &text, SubwordFragmentation &into);
};

} // namespace ts
