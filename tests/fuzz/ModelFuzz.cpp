#include "FuzzScratch.h"
#include "FuzzTargets.h"

#include "model/ModelConfig.h"
#include "model/SafeTensorsFile.h"

#include <QtEndian>

#include <cstring>

namespace ts::fuzz {

namespace {

constexpr qint64 kLengthPrefixBytes = 8; // safetensors: little-endian u64 header length

/// Checks an accepted entry against the raw file: its range lies in the data section, matches
/// shape x dtype size, and data() points at exactly those bytes of the file.
QString checkEntry(const SafeTensorsFile &file, const SafeTensorsEntry &entry, const QByteArray &input)
{
    const qint64 dataStart = kLengthPrefixBytes + qint64(qFromLittleEndian<quint64>(input.constData()));
    const qint64 dataSize = input.size() - dataStart;
    if (entry.begin < 0 || entry.end < entry.begin || entry.end > dataSize)
        return QStringLiteral("tensor \"%1\": range %2..%3 outside the %4-byte data section")
            .arg(entry.name).arg(entry.begin).arg(entry.end).arg(dataSize);
    if (entry.end - entry.begin != entry.elementCount() * dtypeSize(entry.dtype))
        return QStringLiteral("tensor \"%1\": range does not match its shape").arg(entry.name);
    if (std::memcmp(file.data(entry), input.constData() + dataStart + entry.begin, size_t(entry.end - entry.begin)) != 0)
        return QStringLiteral("tensor \"%1\": data() does not point at its bytes").arg(entry.name);
    if (file.find(entry.name) != &entry)
        return QStringLiteral("tensor \"%1\": find() does not return it").arg(entry.name);
    return {};
}

} // namespace

FuzzOutcome fuzzSafeTensors(const QByteArray &input)
{
    const QString path = FuzzScratch::write(QStringLiteral("model.safetensors"), input);
    if (path.isEmpty())
        return FuzzOutcome::refused(QStringLiteral("cannot write the scratch file"));
    const Result<SafeTensorsFile> file = SafeTensorsFile::open(path);
    if (!file)
        return refusal(file.error());
    for (const SafeTensorsEntry &entry : file->entries()) {
        if (const QString problem = checkEntry(file.value(), entry, input); !problem.isEmpty())
            return FuzzOutcome::broken(problem);
    }
    return FuzzOutcome::accepted();
}

FuzzOutcome fuzzModelConfig(const QByteArray &input)
{
    const Result<ModelConfig> config = ModelConfig::fromJson(input, QStringLiteral("fuzz/config.json"));
    if (!config)
        return refusal(config.error());
    const ModelConfig &c = config.value();
    if (c.vocabSize <= 0 || c.hiddenSize <= 0 || c.numLayers <= 0 || c.numHeads <= 0 || c.numKvHeads <= 0
        || c.intermediateSize <= 0 || c.maxPositions <= 0)
        return FuzzOutcome::broken(QStringLiteral("accepted a configuration with a size below 1"));
    if ((c.explicitHeadDim == 0 && c.hiddenSize % c.numHeads != 0) || c.headDim() <= 0)
        return FuzzOutcome::broken(QStringLiteral("accepted %1 heads for hidden size %2").arg(c.numHeads).arg(c.hiddenSize));
    if (c.numLabels() < 1 || c.parameterCount() <= 0)
        return FuzzOutcome::broken(QStringLiteral("accepted no labels or no parameters"));
    // What the model picker shows: batch x the longest sequence the model takes, capped as the UI caps it.
    const qint64 seqLen = std::min<qint64>(c.maxPositions, 8192);
    for (const DType dtype : {DType::F32, DType::BF16}) {
        if (c.trainingMemoryBytes(256, seqLen, dtype) <= 0)
            return FuzzOutcome::broken(QStringLiteral("memory estimate is not positive"));
    }
    if (c.architectureFor(ModelTask::SequenceClassification).isEmpty() || c.basePrefix().isEmpty())
        return FuzzOutcome::broken(QStringLiteral("accepted model_type \"%1\" without a class name").arg(c.modelType));
    return FuzzOutcome::accepted();
}

} // namespace ts::fuzz
