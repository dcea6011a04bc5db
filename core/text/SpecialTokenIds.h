#pragma once

namespace ts {

/// Ids of the special tokens a model's code asks for; -1 where the tokenizer has none.
/// Found by their usual spellings ([CLS], <s>, <|begin_of_text|>, ...).
struct SpecialTokenIds
{
    int cls = -1;
    int sep = -1;
    int pad = -1;
    int mask = -1;
    int bos = -1;
    int eos = -1;
    int unk = -1;
};

} // namespace ts
