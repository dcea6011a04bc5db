#pragma once

#include "corpus/CorpusFormat.h"
#include "corpus/ImportParams.h"

#include <QList>
#include <QStringList>
#include <QWizardPage>

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QTableWidget;

namespace ts::ui {

/// First page of the import wizard: the file, how to read it (format, encoding, header,
/// delimiter), a preview of its first rows, and which columns hold the text and the label.
/// Reading the preview touches only the first rows, so it runs on the GUI thread.
class ImportSourcePage : public QWizardPage
{
    Q_OBJECT

public:
    /// Rows shown in the preview table.
    static constexpr int kPreviewRows = 20;
    /// What the label picker shows when no column holds labels.
    static const QString &noLabelText();

    explicit ImportSourcePage(QWidget *parent = nullptr);

    /// Selects the file (or folder) `path` and previews it.
    void setPath(const QString &path);
    QString path() const;
    /// Sets the file's text encoding ("UTF-8", "windows-1252", ...) and previews again.
    void setEncoding(const QString &encoding);
    /// Fills what this page decides in `params`: the file, format, encoding, header, delimiter
    /// and columns.
    void fillParams(ImportParams &params) const;
    /// Whether the documents carry labels (a label column is chosen, or a folder per label).
    bool hasLabels() const;
    /// The format the file will be read as (detected or chosen).
    CorpusFormat format() const { return m_format; }
    /// The column names offered for the text and the label.
    QStringList columns() const { return m_columns; }

    bool isComplete() const override;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QWidget *createReadingBox();
    QGroupBox *createColumnsBox();
    void browse();
    void inspect();
    void resample();
    void showRows();
    void fillColumnPickers();
    QStringList columnTitles() const;
    void showStatus();
    QString encoding() const;
    char delimiter() const;
    bool isDelimited() const;

    QLineEdit *m_path = nullptr;
    QComboBox *m_formatPicker = nullptr;
    QComboBox *m_encoding = nullptr;
    QComboBox *m_delimiter = nullptr;
    QCheckBox *m_header = nullptr;
    QCheckBox *m_quotedNewlines = nullptr;
    QTableWidget *m_preview = nullptr;
    QGroupBox *m_columnsBox = nullptr;
    QComboBox *m_text = nullptr;
    QComboBox *m_label = nullptr;
    QLabel *m_message = nullptr;

    CorpusFormat m_format = CorpusFormat::Auto; // as read: detected, or chosen in the format picker
    QList<QStringList> m_rawRows;               // CSV/TSV: the first rows, header included
    QStringList m_columns;                      // column names (or "0", "1", ... without a header)
    QList<QStringList> m_rows;                  // the rows shown, header excluded
    bool m_readable = false;                    // the file could be previewed
    QString m_problem;                          // why it could not, in words
    QString m_inspectedPath;                    // the path the preview shows
};

} // namespace ts::ui
