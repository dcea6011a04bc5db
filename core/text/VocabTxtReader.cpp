#include "text/VocabTxtReader.h"

#include "text/Tokenizer.h"
#include "text/WordPieceModel.h"
#include "util/UserFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <unordered_set>

namespace ts {

namespace {
const char *const kSpecialTokens[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
} // namespace

Result<Tokenizer> VocabTxtReader::read(const QByteArray &bytes, const QString &origin, bool lowercase)
{
    using R = Result<Tokenizer>;
    std::vector<std::string> tokens;
    std::unordered_set<std::string> seen;
    const QList<QByteArray> lines = bytes.split('\n');
    if (lines.size() > kMaxLines)
        return R::failure(QStringLiteral("%1: more than %2 lines").arg(origin).arg(kMaxLines));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QByteArray line = lines[i];
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty() && i + 1 == lines.size())
            break;
        std::string token = line.toStdString();
        if (token.empty() || !seen.insert(token).second)
            return R::failure(QStringLiteral("%1: line %2 is empty or repeats a token").arg(origin).arg(i + 1));
        tokens.push_back(std::move(token));
    }
    auto model = WordPieceModel::create(Vocabulary::fromTokens(tokens), QStringLiteral("[UNK]"));
    if (!model)
        return R::failure(QStringLiteral("%1: %2").arg(origin, model.error()));
    TokenizerParts parts;
    const Vocabulary &vocab = model.value()->vocabulary();
    std::vector<AddedToken> specials;
    for (const char *name : kSpecialTokens) {
        const int id = vocab.id(name);
        if (id >= 0)
            specials.push_back(AddedToken{id, QString::fromLatin1(name), false, false, false, false, true});
    }
    const int cls = vocab.id("[CLS]");
    const int sep = vocab.id("[SEP]");
    if (cls < 0 || sep < 0)
        return R::failure(QStringLiteral("%1: [CLS] and [SEP] must be in the vocabulary").arg(origin));
    parts.model = std::move(model.value());
    parts.addedTokens = AddedVocabulary::fromTokens(specials);
    parts.normalizer = Normalizer::bert(lowercase, lowercase);
    parts.preTokenizer = PreTokenizer::bert();
    parts.postProcessor = PostProcessor::bertTemplate(cls, QStringLiteral("[CLS]"), sep, QStringLiteral("[SEP]"));
    parts.decoder = Decoder::wordPiece(QStringLiteral("##"));
    return Tokenizer::fromParts(std::move(parts));
}

bool VocabTxtReader::lowercaseFromConfig(const QString &vocabPath)
{
    constexpr qint64 kMaxConfigBytes = 16 * 1024 * 1024; // tokenizer_config.json files are a few kB
    const QString path = QFileInfo(vocabPath).dir().filePath(QStringLiteral("tokenizer_config.json"));
    const Result<QByteArray> config = UserFile::readAll(path, kMaxConfigBytes);
    if (!config)
        return true;
    return QJsonDocument::fromJson(config.value()).object().value(QLatin1String("do_lower_case")).toBool(true);
}

} // namespace ts
