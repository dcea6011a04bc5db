#include "text/Tokenizer.h"

#include "text/TokenizerJsonReader.h"
#include "text/VocabTxtReader.h"

#include "util/UserFile.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace ts {

/// What all copies of a Tokenizer share.
struct Tokenizer::Data
{
    TokenizerParts parts;
    std::vector<QString> tokens; // id -> spelling, added tokens included
    SpecialTokenIds special;
    int padId = 0;
};

namespace {

/// The first of `names` the tokenizer knows, or -1.
int firstKnown(const Tokenizer &tokenizer, std::initializer_list<const char *> names)
{
    for (const char *name : names) {
        const int id = tokenizer.tokenToId(QString::fromLatin1(name));
        if (id >= 0)
            return id;
    }
    return -1;
}

void truncate(Encoding &e, int length)
{
    const qsizetype n = std::max(0, length);
    if (e.ids.size() <= n)
        return;
    e.ids.resize(n);
    e.typeIds.resize(n);
    e.attentionMask.resize(n);
    e.offsets.resize(n);
    e.tokens.resize(n);
    e.sequenceIds.resize(n);
}

/// HF's longest_first for a pair: lengths (n1, n2) after truncating them to `maxLength` in all.
std::pair<int, int> longestFirst(int n1, int n2, int maxLength)
{
    const bool swap = n1 > n2;
    if (swap)
        std::swap(n1, n2);
    n2 = n1 > maxLength ? n1 : std::max(n1, maxLength - n1);
    if (n1 + n2 > maxLength) {
        n1 = maxLength / 2;
        n2 = n1 + maxLength % 2;
    }
    if (swap)
        std::swap(n1, n2);
    return {n1, n2};
}

} // namespace

Result<Tokenizer> Tokenizer::fromFile(const QString &path)
{
    const Result<QByteArray> read = UserFile::readAll(path, kMaxFileBytes);
    if (!read)
        return Result<Tokenizer>::failure(read.error());
    const QByteArray &bytes = read.value();
    if (QFileInfo(path).suffix().compare(QLatin1String("txt"), Qt::CaseInsensitive) == 0)
        return VocabTxtReader::read(bytes, path, VocabTxtReader::lowercaseFromConfig(path));
    return fromJson(bytes, path);
}

Result<Tokenizer> Tokenizer::fromJson(const QByteArray &json, const QString &origin)
{
    auto parts = TokenizerJsonReader::read(json, origin);
    if (!parts)
        return Result<Tokenizer>::failure(parts.error());
    auto tokenizer = fromParts(std::move(parts.value()));
    if (!tokenizer)
        return Result<Tokenizer>::failure(QStringLiteral("%1: %2").arg(origin, tokenizer.error()));
    return tokenizer;
}

Result<Tokenizer> Tokenizer::fromParts(TokenizerParts parts)
{
    if (!parts.model)
        return Result<Tokenizer>::failure(QStringLiteral("model is missing"));
    auto data = std::make_shared<Data>();
    const Vocabulary &vocab = parts.model->vocabulary();
    int size = vocab.size();
    for (const AddedToken &t : parts.addedTokens.tokens())
        size = std::max(size, t.id + 1);
    data->tokens.resize(std::size_t(size));
    for (int id = 0; id < vocab.size(); ++id)
        data->tokens[std::size_t(id)] = vocab.token(id);
    for (const AddedToken &t : parts.addedTokens.tokens())
        data->tokens[std::size_t(t.id)] = t.content;
    for (const int id : parts.postProcessor.specialIds()) {
        if (id >= size)
            return Result<Tokenizer>::failure(
                QStringLiteral("post_processor: special token id %1 is outside the vocabulary (%2 tokens)").arg(id).arg(size));
    }
    const int padFromFile = parts.padding.toObject().value(QLatin1String("pad_id")).toInt(-1);
    data->parts = std::move(parts);
    Tokenizer tokenizer(data);
    SpecialTokenIds &s = data->special;
    s.unk = data->parts.model->unknownId() >= 0 ? data->parts.model->unknownId() : firstKnown(tokenizer, {"[UNK]", "<unk>"});
    s.cls = firstKnown(tokenizer, {"[CLS]", "<s>", "<|begin_of_text|>"});
    s.sep = firstKnown(tokenizer, {"[SEP]", "</s>", "<|end_of_text|>", "<|endoftext|>"});
    s.pad = firstKnown(tokenizer, {"[PAD]", "<pad>", "<|pad|>", "<|endoftext|>", "<|end_of_text|>", "</s>", "<unk>"});
    s.mask = firstKnown(tokenizer, {"[MASK]", "<mask>"});
    s.bos = firstKnown(tokenizer, {"<s>", "<|begin_of_text|>", "<|endoftext|>", "[CLS]"});
    s.eos = firstKnown(tokenizer, {"</s>", "<|end_of_text|>", "<|endoftext|>", "<|im_end|>", "[SEP]"});
    data->padId = padFromFile >= 0 && padFromFile < size ? padFromFile : std::max(0, s.pad);
    return tokenizer;
}

Encoding Tokenizer::encode(const QString &text, const EncodeOptions &options) const
{
    return finish(encodeSequence(text, 0), nullptr, options);
}

Encoding Tokenizer::encodePair(const QString &first, const QString &second, const EncodeOptions &options) const
{
    Encoding b = encodeSequence(second, 1);
    return finish(encodeSequence(first, 0), &b, options);
}

QList<Encoding> Tokenizer::encodeBatch(const QStringList &texts, const EncodeOptions &options) const
{
    EncodeOptions each = options;
    if (options.padding == EncodeOptions::Padding::Longest)
        each.padding = EncodeOptions::Padding::None;
    QList<Encoding> out;
    out.reserve(texts.size());
    int longest = 0;
    for (const QString &text : texts) {
        out.append(encode(text, each));
        longest = std::max(longest, out.back().size());
    }
    if (options.padding == EncodeOptions::Padding::Longest) {
        for (Encoding &e : out)
            pad(e, longest, options);
    }
    return out;
}

Encoding Tokenizer::encodeSequence(const QString &text, int sequenceId) const
{
    Encoding out;
    NormalizedText original = NormalizedText::fromQString(text, 0, int(text.size()));
    std::vector<AddedVocabulary::Match> matches;
    m_d->parts.addedTokens.find(original.bytes, false, matches);
    if (matches.empty()) {
        encodeSegment(std::move(original), out, sequenceId);
        return out;
    }
    std::size_t pos = 0;
    for (const AddedVocabulary::Match &m : matches) {
        if (m.begin > pos) {
            NormalizedText segment;
            segment.appendRange(original, pos, m.begin);
            encodeSegment(std::move(segment), out, sequenceId);
        }
        appendToken(out, m_d->parts.addedTokens.tokens()[std::size_t(m.token)].id, original.origStart[m.contentBegin],
                    original.origEnd[m.contentEnd - 1], sequenceId);
        pos = m.end;
    }
    if (pos < original.size()) {
        NormalizedText segment;
        segment.appendRange(original, pos, original.size());
        encodeSegment(std::move(segment), out, sequenceId);
    }
    return out;
}

void Tokenizer::encodeSegment(NormalizedText segment, Encoding &out, int sequenceId) const
{
    m_d->parts.normalizer.normalize(segment);
    if (!m_d->parts.addedTokens.hasNormalizedTokens()) {
        tokenizeNormalized(segment, out, sequenceId);
        return;
    }
    std::vector<AddedVocabulary::Match> matches;
    m_d->parts.addedTokens.find(segment.bytes, true, matches);
    std::size_t pos = 0;
    auto tokenizeRange = [&](std::size_t from, std::size_t to) {
        if (from >= to)
            return;
        NormalizedText part;
        part.appendRange(segment, from, to);
        tokenizeNormalized(part, out, sequenceId);
    };
    for (const AddedVocabulary::Match &m : matches) {
        tokenizeRange(pos, m.begin);
        appendToken(out, m_d->parts.addedTokens.tokens()[std::size_t(m.token)].id, segment.origStart[m.contentBegin],
                    segment.origEnd[m.contentEnd - 1], sequenceId);
        pos = m.end;
    }
    tokenizeRange(pos, segment.size());
}

void Tokenizer::tokenizeNormalized(NormalizedText &text, Encoding &out, int sequenceId) const
{
    if (text.empty())
        return;
    thread_local std::vector<PreTokenizer::Piece> pieces;
    thread_local std::vector<ModelToken> tokens;
    pieces.assign(1, {0, text.size()});
    m_d->parts.preTokenizer.split(text, pieces);
    for (const PreTokenizer::Piece &piece : pieces) {
        tokens.clear();
        m_d->parts.model->tokenize(std::string_view(text.bytes).substr(piece.first, piece.second - piece.first), tokens);
        for (const ModelToken &t : tokens) {
            const int start = text.origStart[piece.first + t.begin];
            // An empty range (BPE's ignore_merges, as HF reports it) sits at the piece's start.
            appendToken(out, t.id, start, t.end > t.begin ? text.origEnd[piece.first + t.end - 1] : start, sequenceId);
        }
    }
}

void Tokenizer::appendToken(Encoding &out, int id, int start, int end, int sequenceId) const
{
    out.ids.append(id);
    out.typeIds.append(sequenceId);
    out.attentionMask.append(1);
    out.offsets.append({start, end});
    out.tokens.append(m_d->tokens[std::size_t(id)]);
    out.sequenceIds.append(sequenceId);
}

Encoding Tokenizer::finish(Encoding first, Encoding *second, const EncodeOptions &options) const
{
    if (options.maxLength > 0) {
        const int added = options.addSpecialTokens ? m_d->parts.postProcessor.addedTokens(second != nullptr) : 0;
        const int room = std::max(0, options.maxLength - added);
        const int n1 = first.size();
        const int n2 = second ? second->size() : 0;
        if (n1 + n2 > room) {
            const int excess = n1 + n2 - room;
            if (!second || options.truncation == EncodeOptions::Truncation::OnlyFirst) {
                truncate(first, n1 - excess);
            } else if (options.truncation == EncodeOptions::Truncation::OnlySecond) {
                truncate(*second, n2 - excess);
            } else {
                const auto [keep1, keep2] = longestFirst(n1, n2, room);
                truncate(first, keep1);
                truncate(*second, keep2);
            }
        }
    }
    Encoding out = m_d->parts.postProcessor.process(std::move(first), second, options.addSpecialTokens);
    if (options.padding == EncodeOptions::Padding::MaxLength && options.maxLength > 0)
        pad(out, options.maxLength, options);
    return out;
}

void Tokenizer::pad(Encoding &e, int length, const EncodeOptions &options) const
{
    if (options.padToMultipleOf > 0 && length % options.padToMultipleOf != 0)
        length += options.padToMultipleOf - length % options.padToMultipleOf;
    const int id = options.padId >= 0 ? options.padId : m_d->padId;
    const QString token = idToToken(id);
    while (e.size() < length) {
        e.ids.append(id);
        e.typeIds.append(0);
        e.attentionMask.append(0);
        e.offsets.append({0, 0});
        e.tokens.append(token);
        e.sequenceIds.append(-1);
    }
}

QString Tokenizer::decode(const QList<int> &ids, bool skipSpecial) const
{
    QStringList tokens;
    tokens.reserve(ids.size());
    for (const int id : ids) {
        if (id < 0 || id >= vocabSize() || m_d->tokens[std::size_t(id)].isEmpty())
            continue;
        const AddedToken *added = m_d->parts.addedTokens.byId(id);
        if (skipSpecial && added && added->special)
            continue;
        tokens.append(m_d->tokens[std::size_t(id)]);
    }
    return m_d->parts.decoder.decode(tokens);
}

QByteArray Tokenizer::toJson() const
{
    const TokenizerParts &p = m_d->parts;
    const QJsonObject o{{QStringLiteral("version"), QStringLiteral("1.0")},
                        {QStringLiteral("truncation"), p.truncation},
                        {QStringLiteral("padding"), p.padding},
                        {QStringLiteral("added_tokens"), p.addedTokens.toJson()},
                        {QStringLiteral("normalizer"), p.normalizer.toJson()},
                        {QStringLiteral("pre_tokenizer"), p.preTokenizer.toJson()},
                        {QStringLiteral("post_processor"), p.postProcessor.toJson()},
                        {QStringLiteral("decoder"), p.decoder.toJson()},
                        {QStringLiteral("model"), p.model->toJson()}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

int Tokenizer::vocabSize() const
{
    return int(m_d->tokens.size());
}

int Tokenizer::tokenToId(const QString &token) const
{
    const int added = m_d->parts.addedTokens.idOf(token);
    return added >= 0 ? added : m_d->parts.model->vocabulary().id(token.toStdString());
}

QString Tokenizer::idToToken(int id) const
{
    return id >= 0 && id < vocabSize() ? m_d->tokens[std::size_t(id)] : QString();
}

const SpecialTokenIds &Tokenizer::specialIds() const
{
    return m_d->special;
}

int Tokenizer::padId() const
{
    return m_d->padId;
}

const TokenizerParts &Tokenizer::parts() const
{
    return m_d->parts;
}

} // namespace ts
