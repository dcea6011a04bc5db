#pragma once

#include "util/Result.h"

#include <QJsonObject>
#include <QString>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ts {

/// A model's token <-> id table (tokenizer.json `model.vocab`). Immutable after construction.
class Vocabulary
{
public:
    /// Largest id accepted from a file: far above any released model (Llama 3: 128 256).
    static constexpr int kMaxId = 4 * 1024 * 1024;
    /// Longest token accepted from a file, in UTF-8 bytes.
    static constexpr int kMaxTokenBytes = 4096;

    Vocabulary() = default;

    /// Reads `{"token": id, ...}`; ids must be unique and in [0, kMaxId]. `field` names the value.
    static Result<Vocabulary> fromJson(const QJsonObject &vocab, const QString &field);
    /// Tokens in id order (ids 0..n-1).
    static Vocabulary fromTokens(const std::vector<std::string> &tokens);

    /// The `{"token": id}` object.
    QJsonObject toJson() const;

    /// Id of `token`, or -1.
    int id(std::string_view token) const;
    /// One past the largest id.
    int size() const { return int(m_tokens.size()); }
    /// The token of `id` as a QString (empty for ids not in the table).
    const QString &token(int id) const { return m_qtokens[std::size_t(id)]; }
    /// The token of `id` in UTF-8.
    const std::string &utf8(int id) const { return m_tokens[std::size_t(id)]; }
    bool contains(int id) const { return id >= 0 && id < size() && !m_tokens[std::size_t(id)].empty(); }

private:
    void add(std::string token, int id);

    std::unordered_map<std::string, int> m_ids;
    std::vector<std::string> m_tokens;
    std::vector<QString> m_qtokens;
};

} // namespace ts
