#include "project/PredictionCsv.h"

#include "util/CsvField.h"

#include <QFileInfo>
#include <QSaveFile>

namespace ts {

Status PredictionCsv::write(QIODevice &device, const PredictionSet &set, const Options &options)
{
    bool labelled = false;
    for (const Prediction &p : set.predictions)
        labelled = labelled || p.label >= 0;
    QStringList header = {QStringLiteral("id")};
    if (labelled)
        header.append(QStringLiteral("label"));
    header << QStringLiteral("predicted") << QStringLiteral("confidence");
    for (const QString &label : set.classes)
        header.append(csvField(QStringLiteral("p_") + label));
    header.append(QStringLiteral("truncated"));
    if (!options.texts.isEmpty())
        header.append(QStringLiteral("text"));
    QByteArray out = header.join(QLatin1Char(',')).toUtf8() + '\n';
    for (int i = 0; i < set.predictions.size(); ++i) {
        const Prediction &p = set.predictions[i];
        if (options.onlyErrors && (p.label < 0 || p.label == p.predicted))
            continue;
        QStringList row = {csvField(options.ids.isEmpty() ? QString::number(i + 1) : options.ids.value(i))};
        if (labelled)
            row.append(csvField(set.classes.value(p.label)));
        row << csvField(set.classes.value(p.predicted)) << QString::number(p.confidence(), 'f', 6);
        for (int c = 0; c < set.classes.size(); ++c)
            row.append(QString::number(p.probabilities.value(c), 'f', 6));
        row.append(p.truncated ? QStringLiteral("yes") : QStringLiteral("no"));
        if (!options.texts.isEmpty())
            row.append(csvField(options.texts.value(i)));
        out += row.join(QLatin1Char(',')).toUtf8() + '\n';
        if (out.size() > (1 << 20)) {
            if (device.write(out) != out.size())
                return Status::failure(device.errorString());
            out.clear();
        }
    }
    if (device.write(out) != out.size())
        return Status::failure(device.errorString());
    return {};
}

Status PredictionCsv::save(const QString &path, const PredictionSet &set, const Options &options, bool overwrite)
{
    if (!overwrite && QFileInfo::exists(path))
        return Status::failure(QStringLiteral("%1 already exists; choose another file (nothing is overwritten)").arg(path));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Status::failure(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    if (const Status s = write(file, set, options); !s)
        return Status::failure(QStringLiteral("cannot write %1: %2").arg(path, s.error()));
    if (!file.commit())
        return Status::failure(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return {};
}

} // namespace ts
