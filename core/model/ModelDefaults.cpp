#include "model/ModelDefaults.h"

#include <QtGlobal>

namespace ts {

namespace {

constexpr double kScratchRate = 1e-3;      // small models from random weights (the README's tiny-encoder runs)
constexpr double kPretrainedRate = 5e-5;   // BERT-size encoders (Devlin et al. 2019 searched 2e-5 to 5e-5)
constexpr double kLargeRate = 2e-5;        // several hundred million parameters
constexpr double kBillionRate = 1e-5;      // a billion parameters and more
constexpr qint64 kLargeParameters = 200'000'000;
constexpr qint64 kBillionParameters = 1'000'000'000;
constexpr int kScratchBatch = 32;
constexpr int kPretrainedBatch = 16;
constexpr int kBillionBatch = 8;

bool isDecoder(ModelFamily family)
{
    return family == ModelFamily::Gpt2 || family == ModelFamily::Llama;
}

/// `cap` tokens, or fewer when the model's position table is shorter (0: unknown, the cap holds).
int lengthWithin(qint64 positions, int cap)
{
    return positions > 0 ? int(qMin<qint64>(positions, cap)) : cap;
}

} // namespace

ModelDefaults ModelDefaults::forModel(const ModelRecord &model)
{
    ModelDefaults d;
    const bool decoder = isDecoder(model.config.family);
    d.maxLength = lengthWithin(model.config.maxPositions, decoder ? kDecoderMaxLength : kEncoderMaxLength);
    const qint64 parameters = model.parameters > 0 ? model.parameters : model.config.parameterCount();
    if (model.kind == ModelRecord::Kind::Builtin) {
        d.learningRate = kScratchRate;
        d.batchSize = kScratchBatch;
        d.reason = QStringLiteral("built-in model trained from scratch: it needs a higher learning rate than a "
                                  "pretrained one");
    } else if (parameters >= kBillionParameters) {
        d.learningRate = kBillionRate;
        d.batchSize = kBillionBatch;
        d.reason = QStringLiteral("a billion parameters or more: a low rate keeps what it knows, a small batch "
                                  "fits in memory");
    } else if (parameters >= kLargeParameters) {
        d.learningRate = kLargeRate;
        d.batchSize = kPretrainedBatch;
        d.reason = QStringLiteral("large pretrained model: a lower rate keeps what it knows");
    } else {
        d.learningRate = kPretrainedRate;
        d.batchSize = kPretrainedBatch;
        d.reason = QStringLiteral("pretrained %1: fine-tuning needs only a small rate")
                       .arg(decoder ? QStringLiteral("decoder") : QStringLiteral("encoder"));
    }
    if (model.config.maxPositions > 0 && d.maxLength == model.config.maxPositions)
        d.reason += QStringLiteral("; %1 tokens is all its positions reach").arg(d.maxLength);
    return d;
}

QString ModelDefaults::summary() const
{
    return QStringLiteral("lr %1, batch %2, %3 tokens").arg(learningRate, 0, 'g', 3).arg(batchSize).arg(maxLength);
}

} // namespace ts
