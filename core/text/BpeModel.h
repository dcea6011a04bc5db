#pragma once

#include "text/TokenModel.h"
#include "util/Result.h"

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace ts {

/// Byte-pair encoding as Hugging Face's BPE model: a piece starts as one symbol per character
/// (per byte for byte-level tokenizers, whose pieces are spelled in GPT-2's alphabet), then the
/// adjacent pair with the lowest merge rank is merged, leftmost first, until none applies.
/// Options: byte_fallback (unknown characters become `<0xNN>` tokens, as Llama 2), fuse_unk,
/// ignore_merges (a piece that is a whole token is taken as is, as Llama 3).
/// Thread-safe: the piece cache is guarded by a mutex.
class BpeModel : public TokenModel
{
public:
    /// One merge: the two tokens joined, in rank order.
    using Merge = std::pair<std::string, std::string>;

    struct Options
    {
        QString unkToken;          // empty: characters outside the vocabulary are dropped
        bool byteFallback = false; // unknown characters as <0xNN> byte tokens
        bool fuseUnk = false;      // consecutive unknown characters as one unknown token
        bool ignoreMerges = false; // a piece found whole in the vocabulary is one token
    };

    /// A model over `vocabulary` and `merges` (in rank order); fails when a merge names a token,
    /// or produces one, that is not in the vocabulary.
    static Result<std::unique_ptr<BpeModel>> create(Vocabulary vocabulary, const std::vector<Merge> &merges,
                                                    const Options &options);
    /// Parses a tokenizer.json `model` object of type BPE; `field` names it.
    static Result<std::unique_ptr<BpeModel>> fromJson(const QJsonObject &model, const QString &field);

    void tokenize(std::string_view piece, std::vector<ModelToken> &out) const override;
    QJsonObject toJson() const override;
    int unknownId() const override { return m_unkId; }

private:
    struct MergeInfo
    {
        int rank;
        int newId;
    };

    BpeModel(Vocabulary vocabulary, Options options);
    static std::uint64_t pairKey(int left, int right)
    {
        return (std::uint64_t(std::uint32_t(left)) << 32) | std::uint32_t(right);
    }
    void initialSymbols(std::string_view piece, std::vector<ModelToken> &symbols) const;
    void mergeSymbols(std::vector<ModelToken> &symbols) const;

    Options m_options;
    int m_unkId = -1;
    std::vector<Merge> m_merges;                              // kept for toJson()
    std::unordered_map<std::uint64_t, MergeInfo> m_mergeRanks; // (left, right) -> rank, result
    std::unordered_map<char32_t, int> m_charIds;              // single-character tokens
    std::array<int, 256> m_byteIds{};                         // <0xNN> tokens, -1 when absent

    mutable std::mutex m_cacheMutex;
    mutable std::unordered_map<std::string, std::vector<ModelToken>> m_cache; // piece -> tokens
};

} // namespace ts
