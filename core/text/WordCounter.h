#pragma once

#include "text/Normalizer.h"
#include "text/PreTokenizer.h"
#include "text/TrainerParams.h"

#include <string>
#include <unordered_map>

namespace ts {

/// Counts the pre-tokenised pieces of a stream of texts, for the trainers.
class WordCounter
{
public:
    /// Reads every text of `source` through `normalizer` and `preTokenizer`; returns piece -> count.
    static std::unordered_map<std::string, long long> count(const TextSource &source, const Normalizer &normalizer,
                                                            const PreTokenizer &preTokenizer);
};

} // namespace ts
