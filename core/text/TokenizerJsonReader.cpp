#include "text/TokenizerJsonReader.h"

#include "text/BpeModel.h"
#include "text/WordPieceModel.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace ts {

Result<TokenizerParts> TokenizerJsonReader::read(const QByteArray &json, const QString &origin)
{
    using R = Result<TokenizerParts>;
    auto fail = [&origin](const QString &message) { return R::failure(QStringLiteral("%1: %2").arg(origin, message)); };
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return fail(QStringLiteral("not valid JSON (%1 at byte %2)").arg(error.errorString()).arg(error.offset));
    if (!document.isObject())
        return fail(QStringLiteral("the top level must be an object"));
    const QJsonObject root = document.object();
    TokenizerParts parts;
    auto model = readModel(root.value(QLatin1String("model")));
    if (!model)
        return fail(model.error());
    parts.model = model.value();
    auto normalizer = Normalizer::fromJson(root.value(QLatin1String("normalizer")), QStringLiteral("normalizer"));
    if (!normalizer)
        return fail(normalizer.error());
    parts.normalizer = normalizer.value();
    auto preTokenizer = PreTokenizer::fromJson(root.value(QLatin1String("pre_tokenizer")), QStringLiteral("pre_tokenizer"));
    if (!preTokenizer)
        return fail(preTokenizer.error());
    parts.preTokenizer = preTokenizer.value();
    const QJsonValue added = root.value(QLatin1String("added_tokens"));
    if (!added.isUndefined() && !added.isNull() && !added.isArray())
        return fail(QStringLiteral("added_tokens must be an array"));
    auto addedTokens = AddedVocabulary::fromJson(added.toArray(), QStringLiteral("added_tokens"), parts.normalizer);
    if (!addedTokens)
        return fail(addedTokens.error());
    parts.addedTokens = addedTokens.value();
    auto post = PostProcessor::fromJson(root.value(QLatin1String("post_processor")), QStringLiteral("post_processor"));
    if (!post)
        return fail(post.error());
    parts.postProcessor = post.value();
    auto decoder = Decoder::fromJson(root.value(QLatin1String("decoder")), QStringLiteral("decoder"));
    if (!decoder)
        return fail(decoder.error());
    parts.decoder = decoder.value();
    parts.truncation = root.value(QLatin1String("truncation"));
    parts.padding = root.value(QLatin1String("padding"));
    if (parts.truncation.isUndefined())
        parts.truncation = QJsonValue(QJsonValue::Null);
    if (parts.padding.isUndefined())
        parts.padding = QJsonValue(QJsonValue::Null);
    return parts;
}

Result<std::shared_ptr<const TokenModel>> TokenizerJsonReader::readModel(const QJsonValue &value)
{
    using R = Result<std::shared_ptr<const TokenModel>>;
    if (!value.isObject())
        return R::failure(QStringLiteral("model must be an object"));
    const QJsonObject model = value.toObject();
    if (!model.value(QLatin1String("vocab")).isObject())
        return R::failure(QStringLiteral("model.vocab must be an object of token: id"));
    QString type = model.value(QLatin1String("type")).toString();
    if (type.isEmpty())
        type = model.contains(QLatin1String("merges")) ? QStringLiteral("BPE") : QStringLiteral("WordPiece");
    if (type == QLatin1String("WordPiece")) {
        auto wordPiece = WordPieceModel::fromJson(model, QStringLiteral("model"));
        if (!wordPiece)
            return R::failure(wordPiece.error());
        return std::shared_ptr<const TokenModel>(std::move(wordPiece.value()));
    }
    if (type == QLatin1String("BPE")) {
        if (!model.value(QLatin1String("merges")).isArray())
            return R::failure(QStringLiteral("model.merges must be an array"));
        auto bpe = BpeModel::fromJson(model, QStringLiteral("model"));
        if (!bpe)
            return R::failure(bpe.error());
        return std::shared_ptr<const TokenModel>(std::move(bpe.value()));
    }
    return R::failure(QStringLiteral("model.type: unsupported model \"%1\" (WordPiece and BPE are supported)").arg(type));
}

} // namespace ts
