#include "model/nn/SafeTensorsWriter.h"

#include "model/DType.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QtEndian>

#include <optional>

namespace ts {

namespace {

constexpr int kHeaderAlignment = 8; // the header is padded with spaces so that data starts aligned

std::optional<DType> dtypeOf(torch::ScalarType type)
{
    switch (type) {
    case torch::kFloat: return DType::F32;
    case torch::kHalf: return DType::F16;
    case torch::kBFloat16: return DType::BF16;
    case torch::kDouble: return DType::F64;
    case torch::kLong: return DType::I64;
    case torch::kInt: return DType::I32;
    case torch::kShort: return DType::I16;
    case torch::kChar: return DType::I8;
    case torch::kByte: return DType::U8;
    case torch::kBool: return DType::Bool;
    default: return std::nullopt;
    }
}

} // namespace

Result<QByteArray> SafeTensorsWriter::header(const QString &what, const NamedTensors &tensors,
                                             QMap<QString, QString> metadata, std::vector<torch::Tensor> &contiguous)
{
    if (!metadata.contains(QStringLiteral("format")))
        metadata.insert(QStringLiteral("format"), QStringLiteral("pt"));
    QJsonObject header;
    QJsonObject meta;
    for (auto it = metadata.begin(); it != metadata.end(); ++it)
        meta.insert(it.key(), it.value());
    header.insert(QStringLiteral("__metadata__"), meta);
    qint64 offset = 0;
    for (const auto &[name, tensor] : tensors) {
        const auto dtype = dtypeOf(tensor.scalar_type());
        if (!dtype)
            return Result<QByteArray>::failure(QStringLiteral("Cannot write %1: tensor \"%2\" has unsupported type %3")
                                                   .arg(what, QString::fromStdString(name),
                                                        QString::fromLatin1(c10::toString(tensor.scalar_type()))));
        contiguous.push_back(tensor.detach().to(torch::kCPU).contiguous());
        const qint64 bytes = static_cast<qint64>(contiguous.back().nbytes());
        QJsonArray shape;
        for (int64_t dim : tensor.sizes())
            shape.append(static_cast<qint64>(dim));
        header.insert(QString::fromStdString(name),
                      QJsonObject{{QStringLiteral("dtype"), dtypeName(*dtype)},
                                  {QStringLiteral("shape"), shape},
                                  {QStringLiteral("data_offsets"), QJsonArray{offset, offset + bytes}}});
        offset += bytes;
    }
    QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
    json.append(QByteArray((kHeaderAlignment - json.size() % kHeaderAlignment) % kHeaderAlignment, ' '));
    QByteArray result(8, Qt::Uninitialized);
    qToLittleEndian<quint64>(static_cast<quint64>(json.size()), result.data());
    result.append(json);
    return result;
}

Status SafeTensorsWriter::write(const QString &path, const NamedTensors &tensors, QMap<QString, QString> metadata)
{
    std::vector<torch::Tensor> contiguous;
    const auto prefix = header(path, tensors, std::move(metadata), contiguous);
    if (!prefix)
        return Status::failure(prefix.error());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Status::failure(QStringLiteral("Cannot write %1: %2").arg(path, file.errorString()));
    file.write(prefix.value());
    for (const torch::Tensor &tensor : contiguous)
        file.write(static_cast<const char *>(tensor.data_ptr()), static_cast<qint64>(tensor.nbytes()));
    if (!file.commit())
        return Status::failure(QStringLiteral("Cannot write %1: %2").arg(path, file.errorString()));
    return {};
}

Result<QByteArray> SafeTensorsWriter::toBytes(const QString &what, const NamedTensors &tensors,
                                              QMap<QString, QString> metadata)
{
    std::vector<torch::Tensor> contiguous;
    auto bytes = header(what, tensors, std::move(metadata), contiguous);
    if (!bytes)
        return bytes;
    for (const torch::Tensor &tensor : contiguous)
        bytes.value().append(static_cast<const char *>(tensor.data_ptr()), static_cast<qsizetype>(tensor.nbytes()));
    return bytes;
}

} // namespace ts
