#include "model/BuiltinModels.h"

#include "model/ModelRegistry.h"
#include "model/nn/BuiltinModelBuilder.h"

#include <QJsonArray>
#include <QSqlError>
#include <QSqlQuery>

#include <memory>

namespace ts {

namespace {

constexpr double kInitializerRange = 0.02; // std of the initial weights, as Hugging Face's defaults
constexpr double kDropout = 0.1;           // hidden and attention dropout, as BERT

/// A BERT masked-LM config.json as transformers writes it (BertConfig's defaults made explicit).
QJsonObject bertConfig(int layers, int hidden, int heads, int intermediate, int positions, int vocab)
{
    return QJsonObject{
        {QStringLiteral("architectures"), QJsonArray{QStringLiteral("BertForMaskedLM")}},
        {QStringLiteral("model_type"), QStringLiteral("bert")},
        {QStringLiteral("vocab_size"), vocab},
        {QStringLiteral("hidden_size"), hidden},
        {QStringLiteral("num_hidden_layers"), layers},
        {QStringLiteral("num_attention_heads"), heads},
        {QStringLiteral("intermediate_size"), intermediate},
        {QStringLiteral("hidden_act"), QStringLiteral("gelu")},
        {QStringLiteral("hidden_dropout_prob"), kDropout},
        {QStringLiteral("attention_probs_dropout_prob"), kDropout},
        {QStringLiteral("max_position_embeddings"), positions},
        {QStringLiteral("type_vocab_size"), 2},
        {QStringLiteral("initializer_range"), kInitializerRange},
        {QStringLiteral("layer_norm_eps"), 1e-12},
        {QStringLiteral("pad_token_id"), 0},
        {QStringLiteral("position_embedding_type"), QStringLiteral("absolute")},
        {QStringLiteral("use_cache"), true},
        {QStringLiteral("torch_dtype"), QStringLiteral("float32")},
    };
}

/// A Llama causal-LM config.json as transformers writes it (LlamaConfig's fields made explicit): RMSNorm,
/// rotary position embeddings, SwiGLU feed-forward, grouped-query attention, tied embeddings.
QJsonObject llamaConfig(int layers, int hidden, int heads, int kvHeads, int intermediate, int positions, int vocab)
{
    return QJsonObject{
        {QStringLiteral("architectures"), QJsonArray{QStringLiteral("LlamaForCausalLM")}},
        {QStringLiteral("model_type"), QStringLiteral("llama")},
        {QStringLiteral("vocab_size"), vocab},
        {QStringLiteral("hidden_size"), hidden},
        {QStringLiteral("num_hidden_layers"), layers},
        {QStringLiteral("num_attention_heads"), heads},
        {QStringLiteral("num_key_value_heads"), kvHeads},
        {QStringLiteral("intermediate_size"), intermediate},
        {QStringLiteral("hidden_act"), QStringLiteral("silu")},
        {QStringLiteral("max_position_embeddings"), positions},
        {QStringLiteral("rms_norm_eps"), 1e-5},
        {QStringLiteral("rope_theta"), 10000.0},
        {QStringLiteral("rope_scaling"), QJsonValue::Null},
        {QStringLiteral("attention_bias"), false},
        {QStringLiteral("attention_dropout"), 0.0},
        {QStringLiteral("mlp_bias"), false},
        {QStringLiteral("initializer_range"), kInitializerRange},
        {QStringLiteral("tie_word_embeddings"), true},
        {QStringLiteral("use_cache"), true},
        {QStringLiteral("torch_dtype"), QStringLiteral("float32")},
    };
}

QList<BuiltinModel> makeCatalog()
{
    return {
        {QStringLiteral("tiny-encoder"),
         QStringLiteral("BERT encoder, 2 layers, hidden 128, 2 heads, 256 positions, 8k WordPiece vocabulary"),
         bertConfig(2, 128, 2, 512, 256, 8000)},
        {QStringLiteral("small-encoder"),
         QStringLiteral("BERT encoder, 4 layers, hidden 256, 4 heads, 512 positions, 16k WordPiece vocabulary"),
         bertConfig(4, 256, 4, 1024, 512, 16000)},
        {QStringLiteral("tiny-decoder"),
         QStringLiteral("Llama decoder (RMSNorm, RoPE, SwiGLU), 2 layers, hidden 128, 4 heads (2 key/value), 256 "
                        "positions, 8k byte-level BPE vocabulary"),
         llamaConfig(2, 128, 4, 2, 384, 256, 8000)},
    };
}

/// The ids of the corpora called `names`; fails naming the first unknown one.
Result<QStringList> corpusIds(const QSqlDatabase &db, const QStringList &names)
{
    QStringList ids;
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT id FROM corpora WHERE name = ?"));
    for (const QString &name : names) {
        q.addBindValue(name);
        if (!q.exec())
            return Result<QStringList>::failure(QStringLiteral("cannot read corpora: %1").arg(q.lastError().text()));
        if (!q.next())
            return Result<QStringList>::failure(QStringLiteral("no corpus called \"%1\" in the project").arg(name));
        ids.append(QString::number(q.value(0).toLongLong()));
    }
    return ids;
}

bool modelNameTaken(const QSqlDatabase &db, const QString &name)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT 1 FROM models WHERE name = ?"));
    q.addBindValue(name);
    return q.exec() && q.next();
}

} // namespace

const QList<BuiltinModel> &BuiltinModels::all()
{
    static const QList<BuiltinModel> catalog = makeCatalog();
    return catalog;
}

Result<BuiltinModel> BuiltinModels::find(const QString &name)
{
    QStringList names;
    for (const BuiltinModel &model : all()) {
        if (model.name == name)
            return model;
        names.append(model.name);
    }
    return Result<BuiltinModel>::failure(
        QStringLiteral("no built-in model called \"%1\" (there are %2)").arg(name, names.join(QStringLiteral(", "))));
}

Result<QMap<QString, QByteArray>> BuiltinModels::build(const BuiltinModel &model, const TextSource &texts,
                                                       const BuiltinBuildParams &params)
{
    return BuiltinModelBuilder::build(model, texts, params);
}

Result<TextSource> BuiltinModels::projectTexts(const QSqlDatabase &db, const QStringList &corpora)
{
    using R = Result<TextSource>;
    const auto ids = corpusIds(db, corpora);
    if (!ids)
        return R::failure(ids.error());
    // The ids come from the database as integers, so they can be spelled into the statement.
    const QString where = ids->isEmpty() ? QStringLiteral("text <> ''")
                                         : QStringLiteral("text <> '' AND corpus_id IN (%1)").arg(ids->join(QLatin1Char(',')));
    QSqlQuery count(db);
    if (!count.exec(QStringLiteral("SELECT COUNT(*) FROM documents WHERE ") + where) || !count.next())
        return R::failure(QStringLiteral("cannot read documents: %1").arg(count.lastError().text()));
    if (count.value(0).toLongLong() == 0)
        return R::failure(corpora.isEmpty()
                              ? QStringLiteral("the project has no documents to train a tokenizer on; import a corpus first")
                              : QStringLiteral("corpora %1 hold no documents to train a tokenizer on")
                                    .arg(corpora.join(QStringLiteral(", "))));
    auto query = std::make_shared<QSqlQuery>(db);
    query->setForwardOnly(true);
    if (!query->exec(QStringLiteral("SELECT text FROM documents WHERE %1 ORDER BY id").arg(where)))
        return R::failure(QStringLiteral("cannot read documents: %1").arg(query->lastError().text()));
    return TextSource([query](QString &text) {
        if (!query->next())
            return false;
        text = query->value(0).toString();
        return true;
    });
}

Result<qint64> BuiltinModels::addToProject(const QSqlDatabase &db, const QString &builtinName, const QString &modelName,
                                           const QStringList &corpora, const BuiltinBuildParams &params)
{
    using R = Result<qint64>;
    const auto model = find(builtinName);
    if (!model)
        return R::failure(model.error());
    if (modelNameTaken(db, modelName))
        return R::failure(QStringLiteral("a model called \"%1\" already exists in the project").arg(modelName));
    Result<QMap<QString, QByteArray>> files = QMap<QString, QByteArray>();
    {
        // The reading query ends with this scope, before the model is written.
        const auto texts = projectTexts(db, corpora);
        if (!texts)
            return R::failure(texts.error());
        files = build(model.value(), texts.value(), params);
    }
    if (!files)
        return R::failure(files.error());
    return ModelRegistry::addStored(db, modelName, files.value());
}

} // namespace ts
