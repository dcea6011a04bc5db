// safetensors: the validating reader (memory-mapped, every header field checked), the writer, and
// hostile files that must be refused with a clear message instead of crashing.
#include "TempProject.h"

#include "model/SafeTensorsFile.h"
#include "model/nn/ModelLoader.h"
#include "model/nn/SafeTensorsWriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QtEndian>

using namespace ts;

namespace {

/// A file made of the 8-byte length, `header` and `dataBytes` bytes counting up from 0.
QByteArray rawFile(const QByteArray &header, qint64 dataBytes, quint64 claimedLength = 0)
{
    uchar length[8];
    qToLittleEndian<quint64>(claimedLength ? claimedLength : quint64(header.size()), length);
    QByteArray bytes(reinterpret_cast<const char *>(length), 8);
    bytes += header;
    for (qint64 i = 0; i < dataBytes; ++i)
        bytes.append(char(i % 251));
    return bytes;
}

void writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
}

/// Two F32 tensors a (2,2) and b (3) laid out back to back: 28 data bytes.
const QByteArray kValidHeader = R"({"__metadata__":{"format":"pt"},)"
                                R"("a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},)"
                                R"("b":{"dtype":"F32","shape":[3],"data_offsets":[16,28]}})";

} // namespace

class TestSafeTensors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsValidHeader();
    void refusesHostileFiles_data();
    void refusesHostileFiles();
    void refusesHugeHeaderLength();
    void writerRoundTripsEveryDtype();
    void writerOutputIsAlignedAndOrdered();
    void tensorsViewTheMappingAfterFileObjectIsGone();

private:
    test::TempFolder m_temp;
};

void TestSafeTensors::readsValidHeader()
{
    const QString path = m_temp.path(QStringLiteral("valid.safetensors"));
    writeBytes(path, rawFile(kValidHeader, 28));
    const auto file = SafeTensorsFile::open(path);
    QVERIFY2(file.ok(), qPrintable(file.error()));
    QCOMPARE(file->entries().size(), size_t(2));
    const SafeTensorsEntry *a = file->find(QStringLiteral("a"));
    QVERIFY(a);
    QCOMPARE(a->shape, (QVector<qint64>{2, 2}));
    QCOMPARE(a->dtype, DType::F32);
    QCOMPARE(a->elementCount(), qint64(4));
    QCOMPARE(file->metadata().value(QStringLiteral("format")), QStringLiteral("pt"));
    const SafeTensorsEntry *b = file->find(QStringLiteral("b"));
    QCOMPARE(int(file->data(*b)[0]), 16); // data bytes count up from the start of the data section
    QVERIFY(!file->find(QStringLiteral("c")));
}

void TestSafeTensors::refusesHostileFiles_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected"); // a fragment the error must contain

    QTest::newRow("empty") << QByteArray() << "truncated";
    QTest::newRow("shorter than length") << QByteArray("\x10\x00\x00", 3) << "truncated";
    QTest::newRow("header claims more than file") << rawFile(kValidHeader, 28, 4096) << "claims 4096 bytes";
    QTest::newRow("truncated data") << rawFile(kValidHeader, 20) << "truncated";
    QTest::newRow("not json") << rawFile("{\"a\": [1, 2", 0) << "not a JSON object";
    QTest::newRow("json array") << rawFile("[1,2,3]", 0) << "not a JSON object";
    QTest::newRow("unknown dtype")
        << rawFile(R"({"a":{"dtype":"F8_E4M3","shape":[4],"data_offsets":[0,4]}})", 4) << "unsupported dtype \"F8_E4M3\"";
    QTest::newRow("size mismatch")
        << rawFile(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", 8) << "shape x dtype size is 12 bytes";
    QTest::newRow("overlap")
        << rawFile(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},)"
                   R"("b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}})", 24)
        << "overlap";
    QTest::newRow("gap")
        << rawFile(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                   R"("b":{"dtype":"F32","shape":[2],"data_offsets":[12,20]}})", 20)
        << "belong to no tensor";
    QTest::newRow("trailing bytes")
        << rawFile(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", 12) << "after the last tensor";
    QTest::newRow("negative dim")
        << rawFile(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", 8) << "invalid shape";
    QTest::newRow("fractional offset")
        << rawFile(R"({"a":{"dtype":"U8","shape":[2],"data_offsets":[0.5,2]}})", 2) << "invalid data_offsets";
    QTest::newRow("reversed offsets")
        << rawFile(R"({"a":{"dtype":"U8","shape":[0],"data_offsets":[2,0]}})", 2) << "invalid data_offsets";
    QTest::newRow("absurd shape")
        << rawFile(R"({"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}})", 8)
        << "too large to address";
    QTest::newRow("no shape") << rawFile(R"({"a":{"dtype":"F32","data_offsets":[0,0]}})", 0) << "has no shape";
}

void TestSafeTensors::refusesHostileFiles()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    const QString path = m_temp.path(QStringLiteral("hostile.safetensors"));
    writeBytes(path, bytes);
    const auto file = SafeTensorsFile::open(path);
    QVERIFY(!file.ok());
    QVERIFY2(file.error().contains(expected), qPrintable(file.error()));
    QVERIFY2(file.error().contains(path), qPrintable(file.error()));
}

void TestSafeTensors::refusesHugeHeaderLength()
{
    const QString path = m_temp.path(QStringLiteral("huge.safetensors"));
    writeBytes(path, rawFile("{}", 0, quint64(1) << 40)); // claims a 1 TB header
    const auto file = SafeTensorsFile::open(path);
    QVERIFY(!file.ok());
    QVERIFY2(file.error().contains(QStringLiteral("limit")), qPrintable(file.error()));
}

void TestSafeTensors::writerRoundTripsEveryDtype()
{
    NamedTensors tensors{
        {"f32", torch::randn({3, 4})},
        {"f16", torch::randn({5}).to(torch::kHalf)},
        {"bf16", torch::randn({2, 3}).to(torch::kBFloat16)},
        {"f64", torch::randn({2}, torch::kDouble)},
        {"i64", torch::arange(6, torch::kLong).view({2, 3})},
        {"i32", torch::arange(3, torch::kInt)},
        {"i16", torch::arange(3, torch::kShort)},
        {"i8", torch::arange(-2, 2, torch::kChar)},
        {"u8", torch::arange(4, torch::kByte)},
        {"bool", torch::tensor({true, false, true})},
        {"scalar", torch::tensor(3.5f)},
        {"empty", torch::zeros({0, 4})},
        {"strided", torch::randn({4, 3}).t()}, // non-contiguous input
    };
    const QString path = m_temp.path(QStringLiteral("roundtrip.safetensors"));
    const Status written = SafeTensorsWriter::write(path, tensors, {{QStringLiteral("origin"), QStringLiteral("test")}});
    QVERIFY2(written.ok(), qPrintable(written.error()));
    const auto file = SafeTensorsFile::open(path);
    QVERIFY2(file.ok(), qPrintable(file.error()));
    QCOMPARE(file->metadata().value(QStringLiteral("format")), QStringLiteral("pt"));
    QCOMPARE(file->metadata().value(QStringLiteral("origin")), QStringLiteral("test"));
    QCOMPARE(file->find(QStringLiteral("bf16"))->dtype, DType::BF16);
    QCOMPARE(file->find(QStringLiteral("bool"))->dtype, DType::Bool);
    const auto read = ModelLoader::readFile(path);
    QVERIFY2(read.ok(), qPrintable(read.error()));
    QCOMPARE(read->size(), tensors.size());
    for (const auto &[name, tensor] : tensors) {
        const torch::Tensor &back = read->at(name);
        QVERIFY2(back.scalar_type() == tensor.scalar_type(), name.c_str());
        QVERIFY2(back.sizes() == tensor.sizes(), name.c_str());
        QVERIFY2(torch::equal(back, tensor), name.c_str());
    }
}

void TestSafeTensors::writerOutputIsAlignedAndOrdered()
{
    const QString path = m_temp.path(QStringLiteral("aligned.safetensors"));
    QVERIFY(SafeTensorsWriter::write(path, {{"b", torch::ones({3})}, {"a", torch::zeros({1})}}).ok());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    const auto headerLength = qFromLittleEndian<quint64>(bytes.constData());
    QCOMPARE(headerLength % 8, quint64(0));
    const QJsonObject header = QJsonDocument::fromJson(bytes.mid(8, int(headerLength))).object();
    QCOMPARE(header.value(QStringLiteral("a")).toObject().value(QStringLiteral("data_offsets")).toArray().at(0).toInt(), 0);
    QCOMPARE(header.value(QStringLiteral("b")).toObject().value(QStringLiteral("data_offsets")).toArray().at(0).toInt(), 4);
    QCOMPARE(bytes.size(), qsizetype(8 + headerLength + 16));
}

void TestSafeTensors::tensorsViewTheMappingAfterFileObjectIsGone()
{
    const QString path = m_temp.path(QStringLiteral("view.safetensors"));
    const torch::Tensor original = torch::randn({16, 8});
    QVERIFY(SafeTensorsWriter::write(path, {{"w", original}}).ok());
    torch::Tensor view;
    {
        auto read = ModelLoader::readFile(path);
        QVERIFY2(read.ok(), qPrintable(read.error()));
        view = read->at("w");
    } // the SafeTensorsFile and the map are gone; the tensor keeps the mapping alive
    QVERIFY(torch::equal(view, original));
    QVERIFY(torch::equal(view.clone().mul_(2), original * 2));
}

QTEST_GUILESS_MAIN(TestSafeTensors)
#include "tst_safetensors.moc"
