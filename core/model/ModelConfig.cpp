#include "model/ModelConfig.h"

#include "util/UserFile.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>
#include <map>
#include <optional>

namespace ts {

namespace {

constexpr qint64 kMaxVocab = 2'000'000;        // largest vocabularies in use are ~256k
constexpr qint64 kMaxHidden = 65'536;          // hidden size
constexpr qint64 kMaxLayers = 1'024;
constexpr qint64 kMaxHeads = 1'024;
constexpr qint64 kMaxIntermediate = 1'048'576; // feed-forward inner size
constexpr qint64 kMaxPositions = 1'048'576;    // position table / trained context
constexpr qint64 kMaxTypeVocab = 1'024;        // token type embeddings
constexpr qint64 kMaxLabels = 100'000;
constexpr double kMaxParameters = 20e9;        // refuse models above 20 billion parameters
constexpr double kActivationBytesPerToken = 34; // Korthikanti et al.: 34*H bytes per token and layer (16-bit)
constexpr double kAttentionBytesPerScore = 5;   // ... plus 5 bytes per attention score per head

/// Reads typed, range-checked fields from a config object; remembers the first error.
class FieldReader
{
public:
    FieldReader(const QJsonObject &object, const QString &source) : m_object(object), m_source(source) {}

    bool has(const char *key) const
    {
        return m_object.contains(QLatin1String(key)) && !m_object.value(QLatin1String(key)).isNull();
    }

    qint64 integer(const char *key, qint64 min, qint64 max, std::optional<qint64> fallback = std::nullopt)
    {
        if (!has(key)) {
            if (!fallback)
                fail(QStringLiteral("field \"%1\" is missing").arg(QLatin1String(key)));
            return fallback.value_or(min);
        }
        const QJsonValue value = m_object.value(QLatin1String(key));
        const double number = value.toDouble(std::nan(""));
        if (!value.isDouble() || std::floor(number) != number || number < min || number > max) {
            fail(QStringLiteral("field \"%1\" is %2; it must be an integer from %3 to %4")
                     .arg(QLatin1String(key), text(value)).arg(min).arg(max));
            return min;
        }
        return static_cast<qint64>(number);
    }

    double real(const char *key, double min, double max, double fallback)
    {
        if (!has(key))
            return fallback;
        const QJsonValue value = m_object.value(QLatin1String(key));
        if (!value.isDouble() || value.toDouble() < min || value.toDouble() > max) {
            fail(QStringLiteral("field \"%1\" is %2; it must be a number from %3 to %4")
                     .arg(QLatin1String(key), text(value)).arg(min).arg(max));
            return fallback;
        }
        return value.toDouble();
    }

    bool boolean(const char *key, bool fallback)
    {
        if (!has(key))
            return fallback;
        const QJsonValue value = m_object.value(QLatin1String(key));
        if (!value.isBool())
            fail(QStringLiteral("field \"%1\" is %2; it must be true or false").arg(QLatin1String(key), text(value)));
        return value.toBool(fallback);
    }

    QString string(const char *key, const QString &fallback)
    {
        if (!has(key))
            return fallback;
        const QJsonValue value = m_object.value(QLatin1String(key));
        if (!value.isString())
            fail(QStringLiteral("field \"%1\" is %2; it must be a string").arg(QLatin1String(key), text(value)));
        return value.toString(fallback);
    }

    /// Refuses a field whose value would change the architecture in a way not implemented here.
    void require(bool condition, const char *key, const QString &why)
    {
        if (!condition)
            fail(QStringLiteral("field \"%1\": %2").arg(QLatin1String(key), why));
    }

    void fail(const QString &message)
    {
        if (m_error.isEmpty())
            m_error = QStringLiteral("%1: %2").arg(m_source, message);
    }

    /// Takes over the first error of a reader of a nested object (its messages carry their own prefix).
    void adopt(const FieldReader &nested)
    {
        if (m_error.isEmpty())
            m_error = nested.error();
    }

    const QJsonObject &object() const { return m_object; }
    const QString &source() const { return m_source; }
    const QString &error() const { return m_error; }

private:
    static QString text(const QJsonValue &value)
    {
        if (value.isDouble())
            return QString::number(value.toDouble(), 'g', 17);
        if (value.isString())
            return QStringLiteral("\"%1\"").arg(value.toString());
        return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
    }

    QJsonObject m_object;
    QString m_source;
    QString m_error;
};

std::optional<ModelFamily> familyOf(const QString &modelType)
{
    static const std::map<QString, ModelFamily> kFamilies{
        {QStringLiteral("bert"), ModelFamily::Bert},
        {QStringLiteral("roberta"), ModelFamily::Roberta},
        {QStringLiteral("xlm-roberta"), ModelFamily::Roberta},
        {QStringLiteral("camembert"), ModelFamily::Roberta},
        {QStringLiteral("distilbert"), ModelFamily::DistilBert},
        {QStringLiteral("gpt2"), ModelFamily::Gpt2},
        {QStringLiteral("llama"), ModelFamily::Llama},
        {QStringLiteral("qwen2"), ModelFamily::Llama},
        {QStringLiteral("qwen3"), ModelFamily::Llama},
        {QStringLiteral("mistral"), ModelFamily::Llama},
    };
    const auto it = kFamilies.find(modelType);
    return it == kFamilies.end() ? std::nullopt : std::optional<ModelFamily>(it->second);
}

Activation activationOf(FieldReader &reader, const char *key, const QString &fallback)
{
    const QString name = reader.string(key, fallback);
    if (name == QLatin1String("gelu"))
        return Activation::Gelu;
    if (name == QLatin1String("gelu_new") || name == QLatin1String("gelu_pytorch_tanh")
        || name == QLatin1String("gelu_fast"))
        return Activation::GeluTanh;
    if (name == QLatin1String("relu"))
        return Activation::Relu;
    if (name == QLatin1String("silu") || name == QLatin1String("swish"))
        return Activation::Silu;
    reader.fail(QStringLiteral("field \"%1\" names unsupported activation \"%2\" (gelu, gelu_new, relu, silu)")
                    .arg(QLatin1String(key), name));
    return Activation::Gelu;
}

void readBert(FieldReader &r, ModelConfig &c)
{
    c.vocabSize = r.integer("vocab_size", 1, kMaxVocab);
    c.hiddenSize = r.integer("hidden_size", 1, kMaxHidden);
    c.numLayers = r.integer("num_hidden_layers", 1, kMaxLayers);
    c.numHeads = r.integer("num_attention_heads", 1, kMaxHeads);
    c.numKvHeads = c.numHeads;
    c.intermediateSize = r.integer("intermediate_size", 1, kMaxIntermediate);
    c.maxPositions = r.integer("max_position_embeddings", 1, kMaxPositions);
    c.typeVocabSize = r.integer("type_vocab_size", 1, kMaxTypeVocab, 2);
    c.layerNormEps = r.real("layer_norm_eps", 0, 1, 1e-12);
    c.activation = activationOf(r, "hidden_act", QStringLiteral("gelu"));
    c.hiddenDropout = c.embeddingDropout = r.real("hidden_dropout_prob", 0, 1, 0.1);
    c.attentionDropout = r.real("attention_probs_dropout_prob", 0, 1, 0.1);
    c.classifierDropout = r.real("classifier_dropout", 0, 1, c.hiddenDropout);
    const QString positions = r.string("position_embedding_type", QStringLiteral("absolute"));
    r.require(positions == QLatin1String("absolute"), "position_embedding_type",
              QStringLiteral("only \"absolute\" positions are supported, not \"%1\"").arg(positions));
    r.require(!r.boolean("is_decoder", false), "is_decoder", QStringLiteral("decoder BERTs are not supported"));
    if (c.family == ModelFamily::Roberta && c.padTokenId < 0)
        c.padTokenId = 1; // RoBERTa's <pad>; positions start after it
}

void readDistilBert(FieldReader &r, ModelConfig &c)
{
    c.vocabSize = r.integer("vocab_size", 1, kMaxVocab);
    c.hiddenSize = r.integer("dim", 1, kMaxHidden);
    c.numLayers = r.integer("n_layers", 1, kMaxLayers);
    c.numHeads = r.integer("n_heads", 1, kMaxHeads);
    c.numKvHeads = c.numHeads;
    c.intermediateSize = r.integer("hidden_dim", 1, kMaxIntermediate);
    c.maxPositions = r.integer("max_position_embeddings", 1, kMaxPositions);
    c.layerNormEps = 1e-12; // fixed in DistilBERT
    c.activation = activationOf(r, "activation", QStringLiteral("gelu"));
    c.hiddenDropout = c.embeddingDropout = r.real("dropout", 0, 1, 0.1);
    c.attentionDropout = r.real("attention_dropout", 0, 1, 0.1);
    c.classifierDropout = r.real("seq_classif_dropout", 0, 1, 0.2);
}

void readGpt2(FieldReader &r, ModelConfig &c)
{
    c.vocabSize = r.integer("vocab_size", 1, kMaxVocab);
    c.hiddenSize = r.integer("n_embd", 1, kMaxHidden);
    c.numLayers = r.integer("n_layer", 1, kMaxLayers);
    c.numHeads = r.integer("n_head", 1, kMaxHeads);
    c.numKvHeads = c.numHeads;
    c.intermediateSize = r.integer("n_inner", 1, kMaxIntermediate, 4 * c.hiddenSize);
    c.maxPositions = r.integer("n_positions", 1, kMaxPositions);
    c.layerNormEps = r.real("layer_norm_epsilon", 0, 1, 1e-5);
    c.activation = activationOf(r, "activation_function", QStringLiteral("gelu_new"));
    c.embeddingDropout = r.real("embd_pdrop", 0, 1, 0.1);
    c.hiddenDropout = r.real("resid_pdrop", 0, 1, 0.1);
    c.attentionDropout = r.real("attn_pdrop", 0, 1, 0.1);
    c.classifierDropout = 0; // the score layer has no dropout
    r.require(r.boolean("scale_attn_weights", true), "scale_attn_weights",
              QStringLiteral("unscaled attention is not supported"));
    r.require(!r.boolean("scale_attn_by_inverse_layer_idx", false), "scale_attn_by_inverse_layer_idx",
              QStringLiteral("per-layer attention scaling is not supported"));
}

/// A required number of a nested rotary object, refused with the rope type that needs it when absent.
double requiredReal(FieldReader &r, const char *key, double min, double max, const QString &type)
{
    if (!r.has(key))
        r.fail(QStringLiteral("field \"%1\" is missing (rope_type \"%2\" needs it)").arg(QLatin1String(key), type));
    return r.real(key, min, max, min);
}

/// rope_theta and the rotary scaling: `rope_parameters` (transformers 5) or `rope_scaling` (the hub's
/// checkpoints, with "rope_type" or the older "type"), the theta inside it or at the top level.
void readRope(FieldReader &r, ModelConfig &c)
{
    c.ropeTheta = r.real("rope_theta", 1, 1e12, 10000.0);
    const char *key = r.has("rope_parameters") ? "rope_parameters" : "rope_scaling";
    if (!r.has(key))
        return;
    const QJsonValue value = r.object().value(QLatin1String(key));
    if (!value.isObject()) {
        r.fail(QStringLiteral("field \"%1\" must be an object").arg(QLatin1String(key)));
        return;
    }
    FieldReader s(value.toObject(), QStringLiteral("%1: field \"%2\"").arg(r.source(), QLatin1String(key)));
    c.ropeTheta = s.real("rope_theta", 1, 1e12, c.ropeTheta);
    s.require(s.real("partial_rotary_factor", 0, 1, 1.0) == 1.0, "partial_rotary_factor",
              QStringLiteral("rotary embeddings on part of each head are not supported"));
    const QString type = s.string("rope_type", s.string("type", QStringLiteral("default")));
    // transformers takes a top-level original_max_position_embeddings (Phi-3), else the context.
    const qint64 original = s.integer("original_max_position_embeddings", 1, kMaxPositions,
                                      r.integer("original_max_position_embeddings", 1, kMaxPositions, c.maxPositions));
    RopeScaling &rope = c.ropeScaling;
    constexpr double kMaxFactor = 1e6;
    if (type == QLatin1String("default")) {
        rope.type = RopeScaling::Type::None;
    } else if (type == QLatin1String("linear") || type == QLatin1String("dynamic")) {
        rope.type = type == QLatin1String("linear") ? RopeScaling::Type::Linear : RopeScaling::Type::Dynamic;
        rope.factor = requiredReal(s, "factor", 1, kMaxFactor, type);
    } else if (type == QLatin1String("llama3")) {
        rope.type = RopeScaling::Type::Llama3;
        rope.factor = requiredReal(s, "factor", 1, kMaxFactor, type);
        rope.lowFreqFactor = requiredReal(s, "low_freq_factor", 1e-6, kMaxFactor, type);
        rope.highFreqFactor = requiredReal(s, "high_freq_factor", 1e-6, kMaxFactor, type);
        rope.originalMaxPositions = original;
        s.require(rope.highFreqFactor > rope.lowFreqFactor, "high_freq_factor",
                  QStringLiteral("must be greater than low_freq_factor"));
    } else if (type == QLatin1String("yarn")) {
        rope.type = RopeScaling::Type::Yarn;
        rope.originalMaxPositions = original;
        rope.factor = s.real("factor", 1, kMaxFactor, double(c.maxPositions) / double(original));
        const double mscale = s.real("mscale", 0, kMaxFactor, 0), mscaleAllDim = s.real("mscale_all_dim", 0, kMaxFactor, 0);
        const auto yarnScale = [&](double m) { return rope.factor <= 1 ? 1.0 : 0.1 * m * std::log(rope.factor) + 1.0; };
        rope.attentionFactor = s.real("attention_factor", 0, kMaxFactor,
                                      mscale > 0 && mscaleAllDim > 0 ? yarnScale(mscale) / yarnScale(mscaleAllDim)
                                                                     : yarnScale(1));
        rope.betaFast = s.real("beta_fast", 1e-6, kMaxFactor, 32);
        rope.betaSlow = s.real("beta_slow", 1e-6, kMaxFactor, 1);
        rope.truncate = s.boolean("truncate", true);
    } else {
        s.fail(QStringLiteral("rope_type \"%1\" is not supported (default, linear, dynamic, llama3, yarn)").arg(type));
    }
    r.adopt(s);
}

/// Sliding-window attention: Mistral's on every layer (sliding_window, null for none); Qwen2/Qwen3's
/// when use_sliding_window is true, on the layers layer_types names, else on those from max_window_layers.
void readSlidingWindow(FieldReader &r, ModelConfig &c)
{
    c.slidingLayers = QList<bool>(c.numLayers, false);
    if (c.modelType == QLatin1String("mistral")) {
        c.slidingWindow = r.integer("sliding_window", 1, kMaxPositions, 0);
        c.slidingLayers.fill(c.slidingWindow > 0);
        return;
    }
    if (!c.modelType.startsWith(QLatin1String("qwen")) || !r.boolean("use_sliding_window", false))
        return;
    c.slidingWindow = r.integer("sliding_window", 1, kMaxPositions);
    const QJsonArray types = r.object().value(QStringLiteral("layer_types")).toArray();
    if (!r.has("layer_types")) {
        const qint64 first = r.integer("max_window_layers", 0, kMaxLayers, 28); // transformers' default
        for (qint64 layer = first; layer < c.numLayers; ++layer)
            c.slidingLayers[layer] = true;
        return;
    }
    if (types.size() != c.numLayers) {
        r.fail(QStringLiteral("field \"layer_types\" has %1 entries for %2 layers").arg(types.size()).arg(c.numLayers));
        return;
    }
    for (qsizetype layer = 0; layer < types.size(); ++layer) {
        const QString type = types.at(layer).toString();
        r.require(type == QLatin1String("full_attention") || type == QLatin1String("sliding_attention"), "layer_types",
                  QStringLiteral("entry %1 is \"%2\"; supported: full_attention, sliding_attention").arg(layer).arg(type));
        c.slidingLayers[layer] = type == QLatin1String("sliding_attention");
    }
}

void readLlama(FieldReader &r, ModelConfig &c)
{
    const bool qwen2 = c.modelType == QLatin1String("qwen2"), qwen3 = c.modelType == QLatin1String("qwen3");
    const bool mistral = c.modelType == QLatin1String("mistral");
    c.vocabSize = r.integer("vocab_size", 1, kMaxVocab);
    c.hiddenSize = r.integer("hidden_size", 1, kMaxHidden);
    c.numLayers = r.integer("num_hidden_layers", 1, kMaxLayers);
    c.numHeads = r.integer("num_attention_heads", 1, kMaxHeads);
    c.numKvHeads = r.integer("num_key_value_heads", 1, kMaxHeads, c.numHeads);
    c.intermediateSize = r.integer("intermediate_size", 1, kMaxIntermediate);
    c.maxPositions = r.integer("max_position_embeddings", 1, kMaxPositions, 2048);
    c.layerNormEps = r.real("rms_norm_eps", 0, 1, 1e-6);
    c.activation = activationOf(r, "hidden_act", QStringLiteral("silu"));
    c.embeddingDropout = c.hiddenDropout = c.classifierDropout = 0;
    c.attentionDropout = r.real("attention_dropout", 0, 1, 0.0);
    const bool bias = !mistral && r.boolean("attention_bias", false); // Mistral's projections never have one
    c.attentionQkvBias = qwen2 || bias;
    c.attentionOutBias = !qwen2 && bias;
    c.qkNorm = qwen3;
    c.tieWordEmbeddings = r.boolean("tie_word_embeddings", false);
    // Qwen3's config class defaults to 128; the others derive it from the hidden size.
    if (r.has("head_dim") || qwen3)
        c.explicitHeadDim = r.integer("head_dim", 2, kMaxHidden, 128);
    readRope(r, c);
    readSlidingWindow(r, c);
    r.require(!r.boolean("mlp_bias", false), "mlp_bias", QStringLiteral("MLP biases are not supported"));
    r.require(c.numKvHeads > 0 && c.numHeads % c.numKvHeads == 0, "num_key_value_heads",
              QStringLiteral("must divide num_attention_heads"));
    if (c.explicitHeadDim > 0)
        r.require(c.explicitHeadDim % 2 == 0, "head_dim", QStringLiteral("must be even (rotary embeddings)"));
    else
        r.require(c.numHeads > 0 && c.hiddenSize % c.numHeads == 0 && (c.hiddenSize / c.numHeads) % 2 == 0,
                  "num_attention_heads", QStringLiteral("hidden_size / num_attention_heads must be even (rotary)"));
}

QStringList readLabels(FieldReader &r)
{
    const QJsonObject id2label = r.object().value(QStringLiteral("id2label")).toObject();
    const qint64 count = id2label.isEmpty() ? r.integer("num_labels", 1, kMaxLabels, 2) : id2label.size();
    if (count > kMaxLabels) {
        r.fail(QStringLiteral("field \"id2label\" has %1 labels, more than %2").arg(count).arg(kMaxLabels));
        return {};
    }
    QStringList labels;
    for (qint64 id = 0; id < count; ++id) {
        const QJsonValue name = id2label.value(QString::number(id));
        if (!id2label.isEmpty() && !name.isString()) {
            r.fail(QStringLiteral("field \"id2label\" has no label for id %1 (ids must be 0..%2)").arg(id).arg(count - 1));
            return {};
        }
        labels.append(name.isString() ? name.toString() : QStringLiteral("LABEL_%1").arg(id));
    }
    return labels;
}

/// The parameter count as a double, so that absurd configurations cannot overflow.
double estimateParameters(const ModelConfig &c)
{
    const double V = c.vocabSize, H = c.hiddenSize, L = c.numLayers, I = c.intermediateSize;
    const double P = c.maxPositions, T = c.typeVocabSize;
    const double mlp = H * I + I + I * H + H;
    switch (c.family) {
    case ModelFamily::Bert:
    case ModelFamily::Roberta: {
        const double pooler = c.family == ModelFamily::Bert ? H * H + H : 0;
        return (V + P + T) * H + 2 * H + L * (4 * (H * H + H) + 4 * H + mlp) + pooler;
    }
    case ModelFamily::DistilBert:
        return (V + P) * H + 2 * H + L * (4 * (H * H + H) + 4 * H + mlp);
    case ModelFamily::Gpt2:
        return (V + P) * H + L * (4 * H + (H * 3 * H + 3 * H) + (H * H + H) + mlp) + 2 * H;
    case ModelFamily::Llama: {
        const double d = c.explicitHeadDim > 0 ? c.explicitHeadDim : c.numHeads > 0 ? H / c.numHeads : 0;
        const double q = c.numHeads * d, kv = c.numKvHeads * d;
        const double attention = H * q + 2 * H * kv + q * H + (c.attentionQkvBias ? q + 2 * kv : 0)
            + (c.attentionOutBias ? H : 0) + (c.qkNorm ? 2 * d : 0);
        return V * H + L * (attention + 3 * H * I + 2 * H) + H;
    }
    }
    return 0;
}

/// The dtype config.json says the weights are stored in ("torch_dtype", or transformers 5's "dtype").
DType storedDtype(const QJsonObject &raw)
{
    const QString name = raw.value(raw.contains(QStringLiteral("dtype")) ? QStringLiteral("dtype")
                                                                         : QStringLiteral("torch_dtype")).toString();
    if (name == QLatin1String("bfloat16"))
        return DType::BF16;
    if (name == QLatin1String("float16"))
        return DType::F16;
    return DType::F32;
}

} // namespace

Result<ModelConfig> ModelConfig::fromJson(const QByteArray &json, const QString &source)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return Result<ModelConfig>::failure(QStringLiteral("%1: not a JSON object (%2 at byte %3)")
                                                .arg(source, parseError.errorString()).arg(parseError.offset));
    ModelConfig config;
    config.raw = document.object();
    FieldReader reader(config.raw, source);
    config.modelType = reader.string("model_type", QString());
    const auto family = familyOf(config.modelType);
    if (!family)
        return Result<ModelConfig>::failure(
            QStringLiteral("%1: field \"model_type\" is \"%2\"; supported: bert, roberta, xlm-roberta, camembert, "
                           "distilbert, gpt2, llama, mistral, qwen2, qwen3").arg(source, config.modelType));
    config.family = *family;
    for (const QJsonValue &name : config.raw.value(QStringLiteral("architectures")).toArray())
        config.architectures.append(name.toString());
    config.padTokenId = reader.integer("pad_token_id", 0, kMaxVocab, -1);
    config.initializerRange = reader.real("initializer_range", 0, 1, 0.02);
    config.tieWordEmbeddings = reader.boolean("tie_word_embeddings", true);
    config.weightDtype = storedDtype(config.raw);
    switch (config.family) {
    case ModelFamily::Bert:
    case ModelFamily::Roberta: readBert(reader, config); break;
    case ModelFamily::DistilBert: readDistilBert(reader, config); break;
    case ModelFamily::Gpt2: readGpt2(reader, config); break;
    case ModelFamily::Llama: readLlama(reader, config); break;
    }
    config.labels = readLabels(reader);
    if (reader.error().isEmpty() && config.explicitHeadDim == 0 && config.hiddenSize % config.numHeads != 0)
        reader.fail(QStringLiteral("hidden size %1 is not a multiple of the %2 attention heads")
                        .arg(config.hiddenSize).arg(config.numHeads));
    if (!reader.error().isEmpty())
        return Result<ModelConfig>::failure(reader.error());
    const double parameters = estimateParameters(config);
    if (parameters > kMaxParameters)
        return Result<ModelConfig>::failure(
            QStringLiteral("%1: the configuration describes about %2 billion parameters; more than the %3 billion "
                           "Transfer Studio accepts")
                .arg(source).arg(parameters / 1e9, 0, 'f', 1).arg(kMaxParameters / 1e9, 0, 'f', 0));
    return config;
}

Result<ModelConfig> ModelConfig::fromFile(const QString &path)
{
    constexpr qint64 kMaxConfigBytes = 16 * 1024 * 1024; // config.json files are a few kB
    const Result<QByteArray> bytes = UserFile::readAll(path, kMaxConfigBytes);
    if (!bytes)
        return Result<ModelConfig>::failure(bytes.error());
    return fromJson(bytes.value(), path);
}

qint64 ModelConfig::parameterCount() const
{
    return static_cast<qint64>(estimateParameters(*this));
}

qint64 ModelConfig::windowOf(int layer) const
{
    return layer >= 0 && layer < slidingLayers.size() && slidingLayers.at(layer) ? slidingWindow : 0;
}

qint64 ModelConfig::trainingMemoryBytes(qint64 batch, qint64 seqLen, DType dtype) const
{
    const double bytes = dtypeSize(dtype);
    const double parameters = estimateParameters(*this);
    const double masterCopy = dtype == DType::F32 ? 0 : 4 * parameters;
    const double states = 2 * bytes * parameters + 8 * parameters + masterCopy; // weights, grads, Adam m and v
    return static_cast<qint64>(states + activationBytes(batch, seqLen, dtype));
}

double ModelConfig::activationBytes(qint64 batch, qint64 seqLen, DType dtype) const
{
    const double tokens = double(batch) * double(seqLen);
    const double perLayer = tokens * double(hiddenSize)
        * (kActivationBytesPerToken + kAttentionBytesPerScore * double(numHeads) * double(seqLen) / double(hiddenSize));
    return double(numLayers) * perLayer * dtypeSize(dtype) / 2; // the formula counts 16-bit values
}

QString ModelConfig::architectureFor(ModelTask task) const
{
    static const std::map<QString, QString> kStems{
        {QStringLiteral("bert"), QStringLiteral("Bert")},
        {QStringLiteral("roberta"), QStringLiteral("Roberta")},
        {QStringLiteral("xlm-roberta"), QStringLiteral("XLMRoberta")},
        {QStringLiteral("camembert"), QStringLiteral("Camembert")},
        {QStringLiteral("distilbert"), QStringLiteral("DistilBert")},
        {QStringLiteral("gpt2"), QStringLiteral("GPT2")},
        {QStringLiteral("llama"), QStringLiteral("Llama")},
        {QStringLiteral("qwen2"), QStringLiteral("Qwen2")},
        {QStringLiteral("qwen3"), QStringLiteral("Qwen3")},
        {QStringLiteral("mistral"), QStringLiteral("Mistral")},
    };
    const auto stem = kStems.find(modelType);
    if (stem == kStems.end())
        return {};
    const bool decoder = family == ModelFamily::Gpt2 || family == ModelFamily::Llama;
    switch (task) {
    case ModelTask::Embedding: return stem->second + QStringLiteral("Model");
    case ModelTask::SequenceClassification: return stem->second + QStringLiteral("ForSequenceClassification");
    case ModelTask::MaskedLm: return decoder ? QString() : stem->second + QStringLiteral("ForMaskedLM");
    case ModelTask::CausalLm:
        if (!decoder)
            return {};
        return family == ModelFamily::Gpt2 ? QStringLiteral("GPT2LMHeadModel")
                                           : stem->second + QStringLiteral("ForCausalLM");
    }
    return {};
}

QString ModelConfig::basePrefix() const
{
    switch (family) {
    case ModelFamily::Bert: return QStringLiteral("bert");
    case ModelFamily::Roberta: return QStringLiteral("roberta");
    case ModelFamily::DistilBert: return QStringLiteral("distilbert");
    case ModelFamily::Gpt2: return QStringLiteral("transformer");
    case ModelFamily::Llama: return QStringLiteral("model");
    }
    return {};
}

} // namespace ts
