// The memory estimate of runs that classify through a prompt: the model runs on one row per
// label word (C rows per text), and the language-model head's logits over the vocabulary of
// every row are kept (with their gradient when training, at the evaluation batch when the run
// only evaluates). Checked against the formula on Qwen2.5-0.5B's shape (a decoder) and a
// MiniLM-shaped encoder; an encoder that compares embeddings (no prompt) has no such rows.
#include "model/ModelConfig.h"
#include "train/TrainingConfig.h"
#include "transfer/PromptFineTuneStrategy.h"
#include "transfer/RunMemoryEstimate.h"
#include "transfer/ZeroShotStrategy.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>

using namespace ts;

namespace {

ModelConfig configOf(const QJsonObject &json, const QString &name)
{
    return ModelConfig::fromJson(QJsonDocument(json).toJson(), name).value();
}

/// Qwen2.5-0.5B's config.json (the fields that size it), fp32.
ModelConfig qwenHalfBillion()
{
    return configOf({{"model_type", "qwen2"}, {"vocab_size", 151936}, {"hidden_size", 896},
                     {"intermediate_size", 4864}, {"num_hidden_layers", 24}, {"num_attention_heads", 14},
                     {"num_key_value_heads", 2}, {"max_position_embeddings", 32768}, {"tie_word_embeddings", true},
                     {"torch_dtype", "float32"}},
                    QStringLiteral("qwen2.5-0.5b"));
}

/// all-MiniLM-L6-v2's shape (a BERT encoder).
ModelConfig miniLm()
{
    return configOf({{"model_type", "bert"}, {"vocab_size", 30522}, {"hidden_size", 384}, {"intermediate_size", 1536},
                     {"num_hidden_layers", 6}, {"num_attention_heads", 12}, {"max_position_embeddings", 512},
                     {"type_vocab_size", 2}},
                    QStringLiteral("minilm"));
}

TrainingConfig configFor(const char *strategy, const QString &labelWords)
{
    TrainingConfig c;
    c.strategy = QString::fromLatin1(strategy);
    c.batchSize = 4;
    c.maxLength = 256;
    if (!labelWords.isEmpty())
        c.options.insert(QStringLiteral("label_words"), labelWords);
    return c;
}

/// The label-word logits of `rows` rows per text of `batch` texts at `config`'s maximum length,
/// `copies` times, in fp32.
double logitBytes(const ModelConfig &model, const TrainingConfig &config, int rows, int batch, int copies)
{
    return double(copies) * rows * batch * double(config.maxLength) * double(model.vocabSize) * 4.0;
}

} // namespace

class TestPromptMemory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void promptFineTuningKeepsEveryLabelWordRow();
    void classesOverrideTheLabelWordsCount();
    void zeroShotScoresRowsAtTheEvaluationBatch();
    void encoderWithoutPromptHasNoRows();
    void demonstrationsShareTheMaximumLength();
};

void TestPromptMemory::promptFineTuningKeepsEveryLabelWordRow()
{
    const ModelConfig model = qwenHalfBillion();
    TrainingConfig prompt = configFor(PromptFineTuneStrategy::kName, QStringLiteral("0=bad,1=fine,2=good"));
    TrainingConfig plain = prompt;
    plain.strategy = QStringLiteral("source-only"); // the same training, through a classification head
    const RunMemoryEstimate fineTuning = RunMemoryEstimate::forRun(model, plain, false);
    const RunMemoryEstimate e = RunMemoryEstimate::forRun(model, prompt, false);
    QCOMPARE(fineTuning.promptRows, 1);
    QCOMPARE(fineTuning.labelWordLogitBytes, qint64(0));
    QCOMPARE(e.promptRows, 3);
    QCOMPARE(e.weightBytes, fineTuning.weightBytes);
    QCOMPARE(e.gradientBytes + e.optimizerBytes, fineTuning.gradientBytes + fineTuning.optimizerBytes);
    // (3*4, 256, 151936) fp32 logits and their gradient: about 3.5 GiB next to the backbone's activations.
    const double logits = logitBytes(model, prompt, 3, prompt.batchSize, 2);
    QCOMPARE(double(e.labelWordLogitBytes), logits);
    QVERIFY(std::abs(double(e.activationBytes) - (3.0 * double(fineTuning.activationBytes) + logits)) <= 4.0);
    QVERIFY(e.totalBytes() > fineTuning.totalBytes() + qint64(logits));
    QCOMPARE(e.verdict(fineTuning.totalBytes() + fineTuning.totalBytes() / 10), RunMemoryEstimate::Verdict::TooLarge);
}

void TestPromptMemory::classesOverrideTheLabelWordsCount()
{
    const ModelConfig model = qwenHalfBillion();
    const TrainingConfig prompt = configFor(PromptFineTuneStrategy::kName, QString());
    QCOMPARE(RunMemoryEstimate::forRun(model, prompt, false).promptRows, 2); // unknown: two, the fewest
    QCOMPARE(RunMemoryEstimate::forRun(model, prompt, false, 5).promptRows, 5);
    QVERIFY(RunMemoryEstimate::forRun(model, prompt, false, 5).totalBytes()
            > RunMemoryEstimate::forRun(model, prompt, false, 2).totalBytes());
}

void TestPromptMemory::zeroShotScoresRowsAtTheEvaluationBatch()
{
    const ModelConfig model = qwenHalfBillion();
    const TrainingConfig zeroShot = configFor(ZeroShotStrategy::kName, QStringLiteral("0=bad,1=good"));
    const RunMemoryEstimate e = RunMemoryEstimate::forRun(model, zeroShot, false);
    QCOMPARE(e.gradientBytes + e.optimizerBytes, qint64(0));
    QCOMPARE(e.promptRows, 2);
    // No gradient: the logits once, at the evaluation batch (twice the training batch).
    QCOMPARE(double(e.labelWordLogitBytes), logitBytes(model, zeroShot, 2, 2 * zeroShot.batchSize, 1));
    // A decoder always scores through its prompt, label words set or not.
    QCOMPARE(RunMemoryEstimate::forRun(model, configFor(ZeroShotStrategy::kName, QString()), false).promptRows, 2);
}

void TestPromptMemory::encoderWithoutPromptHasNoRows()
{
    const ModelConfig model = miniLm();
    const RunMemoryEstimate similarity = RunMemoryEstimate::forRun(model, configFor(ZeroShotStrategy::kName, QString()), false);
    QCOMPARE(similarity.promptRows, 1);
    QCOMPARE(similarity.labelWordLogitBytes, qint64(0));
    const TrainingConfig masked = configFor(ZeroShotStrategy::kName, QStringLiteral("0=bad,1=good"));
    const RunMemoryEstimate e = RunMemoryEstimate::forRun(model, masked, false);
    QCOMPARE(e.promptRows, 2);
    QCOMPARE(double(e.labelWordLogitBytes), logitBytes(model, masked, 2, 2 * masked.batchSize, 1));
    QVERIFY(std::abs(double(e.activationBytes) - (2.0 * double(similarity.activationBytes) + double(e.labelWordLogitBytes)))
            <= 4.0);
}

void TestPromptMemory::demonstrationsShareTheMaximumLength()
{
    // Demonstrations lengthen the prompt only up to max_length: the texts are cut to share it.
    const ModelConfig model = qwenHalfBillion();
    const TrainingConfig bare = configFor(ZeroShotStrategy::kName, QStringLiteral("0=bad,1=good"));
    TrainingConfig inContext = bare;
    inContext.options.insert(QStringLiteral("demonstrations"), 8);
    QCOMPARE(RunMemoryEstimate::forRun(model, inContext, false).totalBytes(),
             RunMemoryEstimate::forRun(model, bare, false).totalBytes());
    TrainingConfig longer = inContext;
    longer.maxLength = 2 * bare.maxLength;
    QVERIFY(RunMemoryEstimate::forRun(model, longer, false).labelWordLogitBytes
            == 2 * RunMemoryEstimate::forRun(model, inContext, false).labelWordLogitBytes);
}

QTEST_GUILESS_MAIN(TestPromptMemory)
#include "tst_promptmemory.moc"
