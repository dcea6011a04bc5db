#include "FuzzTargets.h"

#include "text/Tokenizer.h"

#include <QDir>
#include <QStringList>

#include <algorithm>

namespace ts::fuzz {

namespace {

/// Texts every fuzzed tokenizer.json encodes: plain, accented, CJK, emoji, control characters,
/// special-token spellings, a lone surrogate, a long run (UTF-16 lengths differ from bytes).
QStringList probeTexts()
{
    return {QString(),
            QStringLiteral("Hello, world! The quick brown fox."),
            QStringLiteral("  leading and trailing   spaces \t\n"),
            QStringLiteral("Caf\u00e9 na\u0131ve \u00c5ngstr\u00f6m e\u0301"),
            QStringLiteral("\u4f60\u597d\u4e16\u754c \u3053\u3093\u306b\u3061\u306f"),
            QStringLiteral("emoji \U0001F600\U0001F44D\U0001F3FD x"),
            QStringLiteral("[CLS] [SEP] [MASK] <s> </s> <pad> <unk> <|endoftext|> <|begin_of_text|>"),
            QString(QChar(0xD800)) + QStringLiteral("a") + QChar(0xDFFF) + QChar(0),
            QString(300, QLatin1Char('a')) + QStringLiteral(" ") + QString(50, QChar(0x00e9))};
}

/// Checks the lists of `e` agree, ids lie in the vocabulary, offsets in the texts (UTF-16
/// lengths `lengths[sequence]`), and truncation kept no more than `options` allow.
QString checkEncoding(const Tokenizer &tokenizer, const Encoding &e, const int lengths[2], const EncodeOptions &options,
                      bool pair)
{
    const qsizetype n = e.ids.size();
    if (e.typeIds.size() != n || e.attentionMask.size() != n || e.offsets.size() != n || e.tokens.size() != n
        || e.sequenceIds.size() != n)
        return QStringLiteral("encoding lists of different lengths");
    int fromText = 0;
    for (qsizetype i = 0; i < n; ++i) {
        const int id = e.ids[i];
        if (id < 0 || id >= tokenizer.vocabSize())
            return QStringLiteral("token %1: id %2 outside the vocabulary of %3").arg(i).arg(id).arg(tokenizer.vocabSize());
        const int sequence = e.sequenceIds[i];
        if (sequence < -1 || sequence > 1)
            return QStringLiteral("token %1: sequence id %2").arg(i).arg(sequence);
        // Post-processor specials (sequence -1) carry the template's spelling, as in HF.
        if (sequence < 0)
            continue;
        ++fromText;
        if (e.tokens[i] != tokenizer.idToToken(id))
            return QStringLiteral("token %1: spelling does not match id %2").arg(i).arg(id);
        const auto [start, end] = e.offsets[i];
        if (start < 0 || end < start || end > lengths[sequence])
            return QStringLiteral("token %1: offsets %2..%3 outside a text of %4").arg(i).arg(start).arg(end).arg(lengths[sequence]);
    }
    // OnlyFirst / OnlySecond leave a pair long when the named text is too short to cut, as HF does.
    const bool cutToFit = !pair || options.truncation == EncodeOptions::Truncation::LongestFirst;
    if (options.maxLength > 0 && cutToFit) {
        const int added = options.addSpecialTokens ? tokenizer.parts().postProcessor.addedTokens(pair) : 0;
        if (fromText > std::max(0, options.maxLength - added))
            return QStringLiteral("%1 text tokens kept for max length %2").arg(fromText).arg(options.maxLength);
    }
    if (options.maxLength > 0 && options.padding == EncodeOptions::Padding::MaxLength && n < options.maxLength)
        return QStringLiteral("padded to %1, not to max length %2").arg(n).arg(options.maxLength);
    return {};
}

/// Encodes `first` (and `second` when `pair`) with `options`, checks the result and decodes it.
QString exercise(const Tokenizer &tokenizer, const QString &first, const QString &second, bool pair,
                 const EncodeOptions &options)
{
    const int lengths[2] = {int(first.size()), int(second.size())};
    const Encoding e = pair ? tokenizer.encodePair(first, second, options) : tokenizer.encode(first, options);
    if (const QString problem = checkEncoding(tokenizer, e, lengths, options, pair); !problem.isEmpty())
        return problem;
    tokenizer.decode(e.ids, true);
    tokenizer.decode(e.ids, false);
    return {};
}

/// The fixture tokenizers (tests/data/tokenizers), loaded once.
const QList<Tokenizer> &fixtureTokenizers()
{
    static const QList<Tokenizer> kTokenizers = [] {
        QList<Tokenizer> tokenizers;
        const QDir folder(QStringLiteral(TS_TEST_DATA_DIR "/tokenizers"));
        for (const QString &name : folder.entryList({QStringLiteral("*.tokenizer.json")}, QDir::Files, QDir::Name)) {
            if (auto tokenizer = Tokenizer::fromFile(folder.filePath(name)))
                tokenizers.append(tokenizer.value());
        }
        return tokenizers;
    }();
    return kTokenizers;
}

// Layout of a fuzzTokenizeText input: a tokenizer selector, option bits, a max length, then the
// text (UTF-8; a 0x1F byte splits it into a pair).
constexpr int kTokenizeHeaderBytes = 3;
constexpr char kPairSeparator = '\x1f';

EncodeOptions optionsFrom(uchar flags, uchar maxLength)
{
    EncodeOptions options;
    options.addSpecialTokens = flags & 1;
    options.maxLength = flags & 2 ? maxLength : 0;
    options.truncation = static_cast<EncodeOptions::Truncation>((flags >> 2) % 3);
    options.padding = flags & 16 ? EncodeOptions::Padding::MaxLength : EncodeOptions::Padding::None;
    options.padToMultipleOf = flags & 32 ? 8 : 0;
    return options;
}

} // namespace

FuzzOutcome fuzzTokenizerJson(const QByteArray &input)
{
    const Result<Tokenizer> tokenizer = Tokenizer::fromJson(input, QStringLiteral("fuzz/tokenizer.json"));
    if (!tokenizer)
        return refusal(tokenizer.error());
    const Result<Tokenizer> reloaded = Tokenizer::fromJson(tokenizer->toJson(), QStringLiteral("fuzz/toJson()"));
    if (!reloaded)
        return FuzzOutcome::broken(QStringLiteral("toJson() is refused on reading: %1").arg(reloaded.error()));
    EncodeOptions truncating;
    truncating.maxLength = 7;
    truncating.padding = EncodeOptions::Padding::MaxLength;
    const QStringList texts = probeTexts();
    for (const QString &text : texts) {
        for (const EncodeOptions &options : {EncodeOptions(), truncating}) {
            if (const QString problem = exercise(tokenizer.value(), text, texts.at(1), false, options); !problem.isEmpty())
                return FuzzOutcome::broken(problem);
            if (const QString problem = exercise(tokenizer.value(), texts.at(1), text, true, options); !problem.isEmpty())
                return FuzzOutcome::broken(problem);
        }
        if (reloaded->encode(text).ids != tokenizer->encode(text).ids)
            return FuzzOutcome::broken(QStringLiteral("toJson() reloads as a tokenizer that encodes \"%1\" differently").arg(text));
    }
    return FuzzOutcome::accepted();
}

FuzzOutcome fuzzTokenizeText(const QByteArray &input)
{
    const QList<Tokenizer> &tokenizers = fixtureTokenizers();
    if (tokenizers.isEmpty())
        return FuzzOutcome::broken(QStringLiteral("no fixture tokenizers in " TS_TEST_DATA_DIR "/tokenizers"));
    if (input.size() < kTokenizeHeaderBytes)
        return FuzzOutcome::refused(QStringLiteral("shorter than the %1-byte header").arg(kTokenizeHeaderBytes));
    const auto *header = reinterpret_cast<const uchar *>(input.constData());
    const Tokenizer &tokenizer = tokenizers.at(header[0] % tokenizers.size());
    const EncodeOptions options = optionsFrom(header[1], header[2]);
    const QByteArray body = input.mid(kTokenizeHeaderBytes);
    const qsizetype split = body.indexOf(kPairSeparator);
    const bool pair = split >= 0;
    const QString first = QString::fromUtf8(pair ? body.left(split) : body);
    const QString second = pair ? QString::fromUtf8(body.mid(split + 1)) : QString();
    if (const QString problem = exercise(tokenizer, first, second, pair, options); !problem.isEmpty())
        return FuzzOutcome::broken(problem);
    // Arbitrary ids through the decoder (byte fallback and byte-level pieces that are not UTF-8).
    QList<int> ids;
    for (qsizetype i = 0; i + 1 < body.size(); i += 2)
        ids.append((uchar(body[i]) << 8 | uchar(body[i + 1])) % tokenizer.vocabSize());
    tokenizer.decode(ids, false);
    return FuzzOutcome::accepted();
}

} // namespace ts::fuzz
