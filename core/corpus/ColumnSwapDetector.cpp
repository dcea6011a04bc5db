#include "corpus/ColumnSwapDetector.h"

namespace ts {

void ColumnSwapDetector::observe(QByteArrayView text, const QString &label)
{
    if (sampleFull())
        return;
    const QString decoded = QString::fromUtf8(text).trimmed();
    ++m_rows;
    m_textChars += decoded.size();
    m_labelChars += label.size();
    m_texts.insert(decoded);
    m_labels.insert(label);
}

bool ColumnSwapDetector::looksSwapped() const
{
    if (m_rows < kMinRows)
        return false;
    const auto rows = double(m_rows);
    return m_texts.size() <= kMaxDistinctTextShare * rows && m_labels.size() >= kMinDistinctLabelShare * rows
        && double(m_labelChars) >= kMinLengthRatio * double(m_textChars);
}

QString ColumnSwapDetector::describe(const QString &textColumn, const QString &labelColumn) const
{
    const auto mean = [this](qint64 chars) { return QString::number(double(chars) / double(m_rows), 'f', 0); };
    return QStringLiteral("in the first %1 rows the text column %2 holds only %3 distinct value(s) of %4 characters "
                          "on average, while the label column %5 holds %6 distinct values of %7 characters")
        .arg(QString::number(m_rows), textColumn, QString::number(m_texts.size()), mean(m_textChars), labelColumn,
             QString::number(m_labels.size()), mean(m_labelChars));
}

} // namespace ts
