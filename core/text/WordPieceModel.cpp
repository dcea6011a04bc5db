#include "text/WordPieceModel.h"

#include "text/Unicode.h"

namespace ts {

WordPieceModel::WordPieceModel(Vocabulary vocabulary, QString unkToken, QString prefix, int maxInputChars)
    : TokenModel(std::move(vocabulary))
    , m_unkToken(std::move(unkToken))
    , m_prefix(std::move(prefix))
    , m_maxInputChars(maxInputChars)
{
    for (int id = 0; id < m_vocabulary.size(); ++id) {
        if (m_vocabulary.contains(id))
            m_trie.insert(m_vocabulary.utf8(id), id);
    }
    m_trie.finish();
    m_unkId = m_vocabulary.id(m_unkToken.toStdString());
    m_continuationNode = m_trie.walk(m_trie.root(), m_prefix.toStdString());
}

Result<std::unique_ptr<WordPieceModel>> WordPieceModel::create(Vocabulary vocabulary, const QString &unkToken,
                                                               const QString &prefix, int maxInputChars)
{
    using R = Result<std::unique_ptr<WordPieceModel>>;
    if (vocabulary.id(unkToken.toStdString()) < 0)
        return R::failure(QStringLiteral("unk_token \"%1\" is not in the vocabulary").arg(unkToken));
    if (maxInputChars <= 0)
        return R::failure(QStringLiteral("max_input_chars_per_word must be positive"));
    return std::unique_ptr<WordPieceModel>(new WordPieceModel(std::move(vocabulary), unkToken, prefix, maxInputChars));
}

Result<std::unique_ptr<WordPieceModel>> WordPieceModel::fromJson(const QJsonObject &model, const QString &field)
{
    using R = Result<std::unique_ptr<WordPieceModel>>;
    auto vocabulary = Vocabulary::fromJson(model.value(QLatin1String("vocab")).toObject(), field + QStringLiteral(".vocab"));
    if (!vocabulary)
        return R::failure(vocabulary.error());
    const QString unk = model.value(QLatin1String("unk_token")).toString(QStringLiteral("[UNK]"));
    const QString prefix = model.value(QLatin1String("continuing_subword_prefix")).toString(QStringLiteral("##"));
    const int maxChars = model.value(QLatin1String("max_input_chars_per_word")).toInt(kDefaultMaxInputChars);
    auto created = create(std::move(vocabulary.value()), unk, prefix, maxChars);
    if (!created)
        return R::failure(QStringLiteral("%1: %2").arg(field, created.error()));
    return created;
}

QJsonObject WordPieceModel::toJson() const
{
    return {{QStringLiteral("type"), QStringLiteral("WordPiece")},
            {QStringLiteral("unk_token"), m_unkToken},
            {QStringLiteral("continuing_subword_prefix"), m_prefix},
            {QStringLiteral("max_input_chars_per_word"), m_maxInputChars},
            {QStringLiteral("vocab"), m_vocabulary.toJson()}};
}

void WordPieceModel::tokenize(std::string_view piece, std::vector<ModelToken> &out) const
{
    const std::size_t firstToken = out.size();
    std::size_t chars = 0;
    for (const char ch : piece)
        chars += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
    if (chars > std::size_t(m_maxInputChars)) {
        out.push_back({m_unkId, 0, piece.size()});
        return;
    }
    std::size_t start = 0;
    while (start < piece.size()) {
        int node = start == 0 ? m_trie.root() : m_continuationNode;
        int matchId = ByteTrie::kNone;
        std::size_t matchEnd = start;
        for (std::size_t b = start; b < piece.size() && node != ByteTrie::kNone; ++b) {
            node = m_trie.child(node, static_cast<unsigned char>(piece[b]));
            if (node != ByteTrie::kNone && m_trie.value(node) != ByteTrie::kNone) {
                matchId = m_trie.value(node);
                matchEnd = b + 1;
            }
        }
        if (matchId == ByteTrie::kNone) {
            out.resize(firstToken);
            out.push_back({m_unkId, 0, piece.size()});
            return;
        }
        out.push_back({matchId, start, matchEnd});
        start = matchEnd;
    }
}

} // namespace ts
