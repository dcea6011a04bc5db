#pragma once

#include <QByteArrayView>
#include <QSet>
#include <QString>

namespace ts {

/// Notices an import whose text and label columns are swapped, from its first rows: the "text"
/// values repeat (they are the classes) while nearly every "label" is different and longer (they
/// are the documents). Catches what the per-label checks miss: short documents (tweets, titles)
/// and small files, whose labels are neither too long nor too many.
class ColumnSwapDetector
{
public:
    /// Rows observed; the verdict is final once they are in.
    static constexpr int kSampleRows = 1000;
    /// Fewer rows than this give no verdict (too few to tell repetition from chance).
    static constexpr int kMinRows = 8;
    /// Swapped when at most this share of the rows has a distinct text (classes repeat) ...
    static constexpr double kMaxDistinctTextShare = 0.5;
    /// ... and at least this share has a distinct label (documents rarely repeat) ...
    static constexpr double kMinDistinctLabelShare = 0.9;
    /// ... and the labels are longer than the texts on average, by this factor.
    static constexpr double kMinLengthRatio = 1.5;

    /// Takes one row (`text` valid UTF-8, `label` as read) into the sample, until it is full.
    void observe(QByteArrayView text, const QString &label);

    /// Whether kSampleRows rows are in.
    bool sampleFull() const { return m_rows >= kSampleRows; }

    /// Whether the rows seen so far look swapped.
    bool looksSwapped() const;

    /// What was seen, for the message: "the text column ... holds N distinct values in M rows
    /// (mean C characters), the label column ... holds K (mean D characters)".
    QString describe(const QString &textColumn, const QString &labelColumn) const;

private:
    QSet<QString> m_texts;
    QSet<QString> m_labels;
    qint64 m_rows = 0;
    qint64 m_textChars = 0;
    qint64 m_labelChars = 0;
};

} // namespace ts
