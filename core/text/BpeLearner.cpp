#include "text/BpeLearner.h"

#include <algorithm>

namespace ts {

namespace {

constexpr int kProgressEvery = 100; // merges between progress and abort calls

std::uint64_t key(int left, int right)
{
    return (std::uint64_t(std::uint32_t(left)) << 32) | std::uint32_t(right);
}

} // namespace

BpeLearner::BpeLearner(std::vector<std::string> specials, std::vector<std::string> alphabet, Join join)
    : m_join(std::move(join))
{
    for (auto *list : {&specials, &alphabet}) {
        for (std::string &token : *list) {
            if (m_ids.emplace(token, int(m_tokens.size())).second)
                m_tokens.push_back(std::move(token));
        }
    }
}

void BpeLearner::addWord(const std::vector<std::string> &symbols, long long count)
{
    std::string spelling;
    for (const std::string &s : symbols)
        spelling += s + '\x1F';
    const auto [it, inserted] = m_wordIndex.emplace(spelling, int(m_words.size()));
    if (!inserted) {
        m_words[std::size_t(it->second)].count += count;
        return;
    }
    Word word;
    word.count = count;
    for (const std::string &s : symbols) {
        const auto id = m_ids.find(s);
        if (id != m_ids.end())
            word.symbols.push_back(id->second);
    }
    m_words.push_back(std::move(word));
}

void BpeLearner::countPairs(const Word &word, int index, long long sign)
{
    for (std::size_t i = 0; i + 1 < word.symbols.size(); ++i) {
        const std::uint64_t k = key(word.symbols[i], word.symbols[i + 1]);
        m_pairCounts[k] += sign * word.count;
        if (sign > 0)
            m_pairWords[k].push_back(index);
    }
}

bool BpeLearner::bestPair(int minFrequency, std::uint64_t &best) const
{
    long long bestCount = 0;
    std::string bestSpelling;
    for (const auto &[pair, count] : m_pairCounts) {
        if (count < minFrequency || count < bestCount)
            continue;
        const std::string spelling = m_tokens[std::size_t(pair >> 32)] + ' ' + m_tokens[std::size_t(pair & 0xFFFFFFFFu)];
        if (count > bestCount || spelling < bestSpelling) {
            bestCount = count;
            bestSpelling = spelling;
            best = pair;
        }
    }
    return bestCount > 0;
}

Status BpeLearner::learn(const TrainerParams &params)
{
    m_wordIndex.clear();
    for (std::size_t i = 0; i < m_words.size(); ++i)
        countPairs(m_words[i], int(i), +1);
    const int target = params.vocabSize - int(m_tokens.size());
    while (int(m_tokens.size()) < params.vocabSize) {
        const int done = int(m_merges.size());
        if (done % kProgressEvery == 0) {
            if (params.abort && params.abort())
                return Status::failure(QStringLiteral("tokenizer training was cancelled"));
            if (params.progress)
                params.progress(done, target);
        }
        std::uint64_t pair = 0;
        if (!bestPair(std::max(1, params.minFrequency), pair))
            break;
        const int left = int(pair >> 32);
        const int right = int(pair & 0xFFFFFFFFu);
        const std::string merged = m_join(m_tokens[std::size_t(left)], m_tokens[std::size_t(right)]);
        auto [it, inserted] = m_ids.emplace(merged, int(m_tokens.size()));
        if (inserted)
            m_tokens.push_back(merged);
        m_merges.emplace_back(m_tokens[std::size_t(left)], m_tokens[std::size_t(right)]);
        std::vector<int> affected = std::move(m_pairWords[pair]);
        m_pairWords.erase(pair);
        std::sort(affected.begin(), affected.end());
        affected.erase(std::unique(affected.begin(), affected.end()), affected.end());
        for (const int index : affected) {
            Word &word = m_words[std::size_t(index)];
            countPairs(word, index, -1);
            std::vector<int> symbols;
            for (std::size_t i = 0; i < word.symbols.size(); ++i) {
                if (i + 1 < word.symbols.size() && word.symbols[i] == left && word.symbols[i + 1] == right) {
                    symbols.push_back(it->second);
                    ++i;
                } else {
                    symbols.push_back(word.symbols[i]);
                }
            }
            word.symbols = std::move(symbols);
            countPairs(word, index, +1);
        }
        m_pairCounts.erase(pair);
    }
    return Status();
}

} // namespace ts
