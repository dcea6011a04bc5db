#pragma once

#include "text/TrainerParams.h"
#include "util/Result.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace ts {

/// The merge loop both trainers share: words (with counts) start as sequences of alphabet
/// symbols; the most frequent adjacent pair is merged into a new symbol until the vocabulary is
/// full or no pair is frequent enough. Ties go to the pair whose spelling sorts first, so that
/// training is deterministic.
class BpeLearner
{
public:
    /// Spells the symbol made of `left` and `right` ("ab" from "a" "b", or "##ab" from "##a" "##b").
    using Join = std::function<std::string(const std::string &left, const std::string &right)>;

    /// `alphabet` are the initial symbols (ids after the special tokens, in this order).
    BpeLearner(std::vector<std::string> specials, std::vector<std::string> alphabet, Join join);

    /// Adds a word seen `count` times, spelled with alphabet symbols.
    void addWord(const std::vector<std::string> &symbols, long long count);

    /// Merges until `params.vocabSize` symbols; fails when params.abort() says so.
    Status learn(const TrainerParams &params);

    /// Special tokens, alphabet, then merged symbols: index = id.
    const std::vector<std::string> &tokens() const { return m_tokens; }
    /// The merges in order, as pairs of spellings.
    const std::vector<std::pair<std::string, std::string>> &merges() const { return m_merges; }

private:
    struct Word
    {
        std::vector<int> symbols;
        long long count = 0;
    };
    void countPairs(const Word &word, int index, long long sign);
    bool bestPair(int minFrequency, std::uint64_t &best) const;

    Join m_join;
    std::vector<std::string> m_tokens;
    std::unordered_map<std::string, int> m_ids;
    std::vector<std::pair<std::string, std::string>> m_merges;
    std::unordered_map<std::string, int> m_wordIndex; // word spelling -> index in m_words
    std::vector<Word> m_words;
    std::unordered_map<std::uint64_t, long long> m_pairCounts;
    std::unordered_map<std::uint64_t, std::vector<int>> m_pairWords; // pair -> words (may repeat)
};

} // namespace ts
