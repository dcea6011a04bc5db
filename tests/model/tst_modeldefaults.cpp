// Model-aware defaults: a built-in model trained from scratch gets a high learning rate with its
// reason, pretrained encoders 5e-5, larger models less; the maximum length never passes the
// model's position table.
#include "model/ModelDefaults.h"

#include <QTest>

using namespace ts;

namespace {

ModelRecord model(ModelRecord::Kind kind, ModelFamily family, qint64 parameters, qint64 positions)
{
    ModelRecord m;
    m.name = QStringLiteral("m");
    m.kind = kind;
    m.parameters = parameters;
    m.config.family = family;
    m.config.maxPositions = positions;
    return m;
}

} // namespace

class TestModelDefaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void builtinFromScratchLearnsFaster();
    void pretrainedEncoder();
    void largerModelsGetLowerRates();
    void lengthWithinPositions();
};

void TestModelDefaults::builtinFromScratchLearnsFaster()
{
    const ModelDefaults d = ModelDefaults::forModel(model(ModelRecord::Kind::Builtin, ModelFamily::Bert, 800'000, 512));
    QCOMPARE(d.learningRate, 1e-3);
    QCOMPARE(d.batchSize, 32);
    QCOMPARE(d.maxLength, 128);
    QVERIFY2(d.reason.contains(QLatin1String("trained from scratch")), qPrintable(d.reason));
    QVERIFY2(d.reason.contains(QLatin1String("higher learning rate")), qPrintable(d.reason));
    QCOMPARE(d.summary(), QStringLiteral("lr 0.001, batch 32, 128 tokens"));
}

void TestModelDefaults::pretrainedEncoder()
{
    const ModelDefaults d =
        ModelDefaults::forModel(model(ModelRecord::Kind::HuggingFace, ModelFamily::Bert, 22'000'000, 512));
    QCOMPARE(d.learningRate, 5e-5);
    QCOMPARE(d.batchSize, 16);
    QCOMPARE(d.maxLength, 128);
    QVERIFY2(d.reason.contains(QLatin1String("pretrained encoder")), qPrintable(d.reason));
}

void TestModelDefaults::largerModelsGetLowerRates()
{
    const ModelDefaults large =
        ModelDefaults::forModel(model(ModelRecord::Kind::HuggingFace, ModelFamily::Roberta, 355'000'000, 514));
    QCOMPARE(large.learningRate, 2e-5);
    const ModelDefaults billion =
        ModelDefaults::forModel(model(ModelRecord::Kind::HuggingFace, ModelFamily::Llama, 1'100'000'000, 2048));
    QCOMPARE(billion.learningRate, 1e-5);
    QCOMPARE(billion.batchSize, 8);
    QCOMPARE(billion.maxLength, 256); // decoders read longer texts
}

void TestModelDefaults::lengthWithinPositions()
{
    const ModelDefaults shortTable = ModelDefaults::forModel(model(ModelRecord::Kind::Builtin, ModelFamily::Bert, 1, 64));
    QCOMPARE(shortTable.maxLength, 64);
    QVERIFY2(shortTable.reason.contains(QLatin1String("64 tokens")), qPrintable(shortTable.reason));
    const ModelDefaults unknown = ModelDefaults::forModel(model(ModelRecord::Kind::HuggingFace, ModelFamily::Gpt2, 1, 0));
    QCOMPARE(unknown.maxLength, 256);
}

QTEST_GUILESS_MAIN(TestModelDefaults)
#include "tst_modeldefaults.moc"
