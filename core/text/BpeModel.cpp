#include "text/BpeModel.h"

#include "text/Unicode.h"

#include <QJsonArray>

#include <queue>

namespace ts {

namespace {

constexpr std::size_t kCacheCapacity = 10000;  // pieces remembered (HF's BPE cache size)
constexpr std::size_t kMaxCachedPieceBytes = 256; // longer pieces (Llama 2 sentences) are not cached

QString byteTokenName(int byte)
{
    return QStringLiteral("<0x%1>").arg(QString::number(byte, 16).toUpper().rightJustified(2, QLatin1Char('0')));
}

} // namespace

BpeModel::BpeModel(Vocabulary vocabulary, Options options)
    : TokenModel(std::move(vocabulary))
    , m_options(std::move(options))
{
    m_byteIds.fill(-1);
    for (int b = 0; b < 256; ++b)
        m_byteIds[std::size_t(b)] = m_vocabulary.id(byteTokenName(b).toStdString());
    for (int id = 0; id < m_vocabulary.size(); ++id) {
        const std::string &token = m_vocabulary.utf8(id);
        if (token.empty() || std::size_t(unicode::utf8SequenceLength(static_cast<unsigned char>(token[0]))) != token.size())
            continue;
        std::size_t pos = 0;
        m_charIds.emplace(unicode::decodeUtf8(token, pos), id);
    }
}

Result<std::unique_ptr<BpeModel>> BpeModel::create(Vocabulary vocabulary, const std::vector<Merge> &merges,
                                                   const Options &options)
{
    using R = Result<std::unique_ptr<BpeModel>>;
    std::unique_ptr<BpeModel> model(new BpeModel(std::move(vocabulary), options));
    if (!options.unkToken.isEmpty()) {
        model->m_unkId = model->m_vocabulary.id(options.unkToken.toStdString());
        if (model->m_unkId < 0)
            return R::failure(QStringLiteral("unk_token \"%1\" is not in the vocabulary").arg(options.unkToken));
    }
    model->m_mergeRanks.reserve(merges.size());
    for (std::size_t rank = 0; rank < merges.size(); ++rank) {
        const Merge &merge = merges[rank];
        const int left = model->m_vocabulary.id(merge.first);
        const int right = model->m_vocabulary.id(merge.second);
        const int merged = model->m_vocabulary.id(merge.first + merge.second);
        if (left < 0 || right < 0 || merged < 0)
            return R::failure(QStringLiteral("merges[%1] (\"%2 %3\") uses or makes a token that is not in the vocabulary")
                                  .arg(rank).arg(QString::fromStdString(merge.first), QString::fromStdString(merge.second)));
        model->m_mergeRanks.emplace(pairKey(left, right), MergeInfo{int(rank), merged});
    }
    model->m_merges = merges;
    return model;
}

Result<std::unique_ptr<BpeModel>> BpeModel::fromJson(const QJsonObject &model, const QString &field)
{
    using R = Result<std::unique_ptr<BpeModel>>;
    for (const char *key : {"dropout", "continuing_subword_prefix", "end_of_word_suffix"}) {
        const QJsonValue v = model.value(QLatin1String(key));
        if (!v.isNull() && !v.isUndefined() && !(v.isString() && v.toString().isEmpty()))
            return R::failure(QStringLiteral("%1.%2 is not supported (must be null)").arg(field, QLatin1String(key)));
    }
    auto vocabulary = Vocabulary::fromJson(model.value(QLatin1String("vocab")).toObject(), field + QStringLiteral(".vocab"));
    if (!vocabulary)
        return R::failure(vocabulary.error());
    const QJsonArray items = model.value(QLatin1String("merges")).toArray();
    if (items.size() > Vocabulary::kMaxId)
        return R::failure(QStringLiteral("%1.merges has too many entries").arg(field));
    std::vector<Merge> merges;
    merges.reserve(std::size_t(items.size()));
    for (qsizetype i = 0; i < items.size(); ++i) {
        QStringList parts;
        if (items[i].isString())
            parts = items[i].toString().split(QLatin1Char(' '));
        else
            for (const QJsonValue part : items[i].toArray())
                parts.append(part.toString());
        if (parts.size() != 2 || parts[0].isEmpty() || parts[1].isEmpty())
            return R::failure(QStringLiteral("%1.merges[%2] must be \"left right\" or [left, right]").arg(field).arg(i));
        merges.emplace_back(parts[0].toStdString(), parts[1].toStdString());
    }
    Options options;
    options.unkToken = model.value(QLatin1String("unk_token")).toString();
    options.byteFallback = model.value(QLatin1String("byte_fallback")).toBool(false);
    options.fuseUnk = model.value(QLatin1String("fuse_unk")).toBool(false);
    options.ignoreMerges = model.value(QLatin1String("ignore_merges")).toBool(false);
    auto created = create(std::move(vocabulary.value()), merges, options);
    if (!created)
        return R::failure(QStringLiteral("%1: %2").arg(field, created.error()));
    return created;
}

QJsonObject BpeModel::toJson() const
{
    QJsonArray merges;
    for (const Merge &merge : m_merges)
        merges.append(QString::fromStdString(merge.first + ' ' + merge.second));
    return {{QStringLiteral("type"), QStringLiteral("BPE")},
            {QStringLiteral("dropout"), QJsonValue(QJsonValue::Null)},
            {QStringLiteral("unk_token"), m_options.unkToken.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(m_options.unkToken)},
            {QStringLiteral("continuing_subword_prefix"), QJsonValue(QJsonValue::Null)},
            {QStringLiteral("end_of_word_suffix"), QJsonValue(QJsonValue::Null)},
            {QStringLiteral("fuse_unk"), m_options.fuseUnk},
            {QStringLiteral("byte_fallback"), m_options.byteFallback},
            {QStringLiteral("ignore_merges"), m_options.ignoreMerges},
            {QStringLiteral("vocab"), m_vocabulary.toJson()},
            {QStringLiteral("merges"), merges}};
}

void BpeModel::tokenize(std::string_view piece, std::vector<ModelToken> &out) const
{
    if (piece.empty())
        return;
    if (m_options.ignoreMerges) {
        const int whole = m_vocabulary.id(piece);
        if (whole >= 0) {
            // HF gives such a token the empty range (0, 0), hence offsets (start, start).
            out.push_back({whole, 0, 0});
            return;
        }
    }
    const bool cacheable = piece.size() < kMaxCachedPieceBytes;
    std::string key;
    if (cacheable) {
        key.assign(piece);
        std::lock_guard<std::mutex> lock(m_cacheMutex);
        const auto hit = m_cache.find(key);
        if (hit != m_cache.end()) {
            out.insert(out.end(), hit->second.begin(), hit->second.end());
            return;
        }
    }
    thread_local std::vector<ModelToken> symbols;
    symbols.clear();
    initialSymbols(piece, symbols);
    mergeSymbols(symbols);
    out.insert(out.end(), symbols.begin(), symbols.end());
    if (cacheable) {
        std::lock_guard<std::mutex> lock(m_cacheMutex);
        if (m_cache.size() < kCacheCapacity)
            m_cache.emplace(std::move(key), symbols);
    }
}

void BpeModel::initialSymbols(std::string_view piece, std::vector<ModelToken> &symbols) const
{
    // The pending unknown token, so that fuse_unk can extend it; HF adds it only when the next
    // known character (not a byte fallback) comes, or at the end.
    bool pendingUnk = false;
    ModelToken unk;
    std::size_t pos = 0;
    while (pos < piece.size()) {
        const std::size_t at = pos;
        const char32_t c = unicode::decodeUtf8(piece, pos);
        const auto known = m_charIds.find(c);
        if (known != m_charIds.end()) {
            if (pendingUnk)
                symbols.push_back(unk);
            pendingUnk = false;
            symbols.push_back({known->second, at, pos});
            continue;
        }
        if (m_options.byteFallback) {
            bool all = true;
            for (std::size_t b = at; b < pos; ++b)
                all = all && m_byteIds[static_cast<unsigned char>(piece[b])] >= 0;
            if (all) {
                for (std::size_t b = at; b < pos; ++b)
                    symbols.push_back({m_byteIds[static_cast<unsigned char>(piece[b])], b, b + 1});
                continue;
            }
        }
        if (m_unkId < 0)
            continue;
        if (pendingUnk && m_options.fuseUnk) {
            unk.end = pos;
            continue;
        }
        if (pendingUnk)
            symbols.push_back(unk);
        unk = {m_unkId, at, pos};
        pendingUnk = true;
    }
    if (pendingUnk)
        symbols.push_back(unk);
}

void BpeModel::mergeSymbols(std::vector<ModelToken> &symbols) const
{
    struct Candidate
    {
        int rank;
        int pos;
        bool operator>(const Candidate &o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
    };
    const int n = int(symbols.size());
    if (n < 2)
        return;
    thread_local std::vector<int> next;
    thread_local std::vector<int> prev;
    next.resize(std::size_t(n));
    prev.resize(std::size_t(n));
    for (int i = 0; i < n; ++i) {
        next[std::size_t(i)] = i + 1 < n ? i + 1 : -1;
        prev[std::size_t(i)] = i - 1;
    }
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<Candidate>> heap;
    auto consider = [&](int left) {
        const int right = left < 0 ? -1 : next[std::size_t(left)];
        if (right < 0)
            return;
        const auto it = m_mergeRanks.find(pairKey(symbols[std::size_t(left)].id, symbols[std::size_t(right)].id));
        if (it != m_mergeRanks.end())
            heap.push({it->second.rank, left});
    };
    for (int i = 0; i + 1 < n; ++i)
        consider(i);
    std::vector<bool> removed(std::size_t(n), false);
    while (!heap.empty()) {
        const Candidate top = heap.top();
        heap.pop();
        const int right = next[std::size_t(top.pos)];
        if (removed[std::size_t(top.pos)] || right < 0)
            continue;
        const auto it = m_mergeRanks.find(pairKey(symbols[std::size_t(top.pos)].id, symbols[std::size_t(right)].id));
        if (it == m_mergeRanks.end() || it->second.rank != top.rank)
            continue;
        ModelToken &left = symbols[std::size_t(top.pos)];
        left.id = it->second.newId;
        left.end = symbols[std::size_t(right)].end;
        removed[std::size_t(right)] = true;
        next[std::size_t(top.pos)] = next[std::size_t(right)];
        if (next[std::size_t(right)] >= 0)
            prev[std::size_t(next[std::size_t(right)])] = top.pos;
        consider(prev[std::size_t(top.pos)]);
        consider(top.pos);
    }
    std::size_t kept = 0;
    for (int i = 0; i < n; ++i) {
        if (!removed[std::size_t(i)])
            symbols[kept++] = symbols[std::size_t(i)];
    }
    symbols.resize(kept);
}

} // namespace ts
