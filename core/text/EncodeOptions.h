#pragma once

namespace ts {

/// How Tokenizer::encode() shapes its result. Defaults: special tokens, no truncation or padding.
struct EncodeOptions
{
    enum class Truncation {
        LongestFirst, // remove from the longer text of a pair first (HF's longest_first)
        OnlyFirst,    // remove from the first text only
        OnlySecond,   // remove from the second text only
    };
    enum class Padding {
        None,
        Longest,   // batches: pad to the longest encoding of the batch
        MaxLength, // pad to maxLength
    };

    bool addSpecialTokens = true; // [CLS]/[SEP], <s>, ... as the post-processor says
    int maxLength = 0;            // truncate to this many tokens, special ones included; 0: never
    Truncation truncation = Truncation::LongestFirst;
    Padding padding = Padding::None;
    int padToMultipleOf = 0;      // round the padded length up to a multiple of this; 0: off
    int padId = -1;               // padding id; -1: the tokenizer's padId()
};

} // namespace ts
