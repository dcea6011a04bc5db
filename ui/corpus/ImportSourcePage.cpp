#include "corpus/ImportSourcePage.h"

#include "corpus/ColumnGuess.h"
#include "corpus/FormatDetector.h"
#include "main/Plural.h"
#include "theme/ThemeController.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace ts::ui {

namespace {

// Widest a preview column starts, in pixels; the user can widen it.
constexpr int kMaxPreviewColumnWidth = 360;

} // namespace

const QString &ImportSourcePage::noLabelText()
{
    static const QString text = tr("(none: unlabelled documents)");
    return text;
}

ImportSourcePage::ImportSourcePage(QWidget *parent) : QWizardPage(parent)
{
    setTitle(tr("Choose the file"));
    setSubTitle(tr("Pick or drop a CSV, TSV, JSON Lines or text file, check the preview, and say which "
                   "column holds the text and which the label."));
    // Created in the order of the form, which is the Tab order: the File field comes first and
    // has the keyboard when the wizard opens.
    QWidget *reading = createReadingBox();
    m_preview = new QTableWidget(this);
    m_preview->setObjectName(QStringLiteral("preview"));
    m_preview->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_preview->setWordWrap(false);
    m_preview->horizontalHeader()->setStretchLastSection(true);
    m_preview->verticalHeader()->setDefaultSectionSize(m_preview->fontMetrics().height() + 6);
    m_preview->setToolTip(tr("The first rows of the file, as they will be read"));
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("sourceMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(reading);
    layout->addWidget(m_preview, 1);
    layout->addWidget(createColumnsBox());
    layout->addWidget(m_message);
    inspect();
}

QWidget *ImportSourcePage::createReadingBox()
{
    auto *box = new QWidget(this);
    m_path = new QLineEdit(box);
    m_path->setObjectName(QStringLiteral("filePath"));
    m_path->setPlaceholderText(tr("File to import (or drop it on this window)"));
    auto *browse = new QPushButton(tr("Browse…"), box);
    connect(m_path, &QLineEdit::editingFinished, this, [this] {
        if (path() != m_inspectedPath)
            inspect();
    });
    connect(browse, &QPushButton::clicked, this, &ImportSourcePage::browse);
    m_path->installEventFilter(this);

    m_formatPicker = new QComboBox(box);
    m_formatPicker->setObjectName(QStringLiteral("format"));
    m_formatPicker->setToolTip(tr("How the file is laid out; detected from its name and first lines"));
    m_formatPicker->addItem(tr("Detect automatically"), int(CorpusFormat::Auto));
    m_formatPicker->addItem(tr("CSV (delimited text)"), int(CorpusFormat::Csv));
    m_formatPicker->addItem(tr("TSV (tab-separated)"), int(CorpusFormat::Tsv));
    m_formatPicker->addItem(tr("JSON Lines (one object per line)"), int(CorpusFormat::Jsonl));
    m_formatPicker->addItem(tr("Plain text (one document per line)"), int(CorpusFormat::Text));
    m_formatPicker->addItem(tr("Folder (one sub-folder per label)"), int(CorpusFormat::Folder));
    m_encoding = new QComboBox(box);
    m_encoding->setObjectName(QStringLiteral("encoding"));
    m_encoding->setToolTip(tr("How the file's characters are stored. Try another one if accented letters look wrong."));
    m_encoding->addItem(tr("UTF-8"), QStringLiteral("utf-8"));
    m_encoding->addItem(tr("UTF-16"), QStringLiteral("utf-16"));
    m_encoding->addItem(tr("Latin-1 (ISO-8859-1)"), QStringLiteral("iso-8859-1"));
    m_encoding->addItem(tr("Western Windows (windows-1252)"), QStringLiteral("windows-1252"));
    m_delimiter = new QComboBox(box);
    m_delimiter->setObjectName(QStringLiteral("delimiter"));
    m_delimiter->setToolTip(tr("The character between two columns"));
    m_delimiter->addItem(tr("Comma ( , )"), int(','));
    m_delimiter->addItem(tr("Semicolon ( ; )"), int(';'));
    m_delimiter->addItem(tr("Tab"), int('\t'));
    m_delimiter->addItem(tr("Vertical bar ( | )"), int('|'));
    m_header = new QCheckBox(tr("The first row names the columns"), box);
    m_header->setObjectName(QStringLiteral("hasHeader"));
    m_header->setToolTip(tr("Untick when the first row is already a document"));
    m_quotedNewlines = new QCheckBox(tr("Quoted texts span lines"), box);
    m_quotedNewlines->setObjectName(QStringLiteral("quotedNewlines"));
    m_quotedNewlines->setToolTip(tr("Tick when quoted texts hold line breaks that look like rows; otherwise such a "
                                    "text is refused as a stray quote that swallowed the rows after it"));
    connect(m_formatPicker, &QComboBox::currentIndexChanged, this, &ImportSourcePage::inspect);
    connect(m_encoding, &QComboBox::currentIndexChanged, this, &ImportSourcePage::inspect);
    connect(m_delimiter, &QComboBox::currentIndexChanged, this, &ImportSourcePage::resample);
    connect(m_header, &QCheckBox::toggled, this, [this] {
        showRows();
        fillColumnPickers();
    });

    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);
    auto *readingRow = new QHBoxLayout;
    readingRow->addWidget(m_formatPicker);
    readingRow->addWidget(new QLabel(tr("Encoding:"), box));
    readingRow->addWidget(m_encoding);
    readingRow->addWidget(new QLabel(tr("Delimiter:"), box));
    readingRow->addWidget(m_delimiter);
    readingRow->addStretch();
    // The two boxes on a row of their own: on one with the pickers the wizard outgrew the window.
    auto *rowsRow = new QHBoxLayout;
    rowsRow->addWidget(m_header);
    rowsRow->addWidget(m_quotedNewlines);
    rowsRow->addStretch();
    auto *form = new QFormLayout(box);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("File:"), pathRow);
    form->addRow(tr("Read as:"), readingRow);
    form->addRow(QString(), rowsRow);
    return box;
}

QGroupBox *ImportSourcePage::createColumnsBox()
{
    m_columnsBox = new QGroupBox(tr("Columns"), this);
    m_text = new QComboBox(m_columnsBox);
    m_text->setObjectName(QStringLiteral("textColumn"));
    m_text->setToolTip(tr("The column that holds the documents' text"));
    m_label = new QComboBox(m_columnsBox);
    m_label->setObjectName(QStringLiteral("labelColumn"));
    m_label->setToolTip(tr("The column that holds each document's class, e.g. positive or negative. "
                           "Without one the documents go to the unlabelled pool."));
    connect(m_text, &QComboBox::currentIndexChanged, this, &ImportSourcePage::showStatus);
    connect(m_label, &QComboBox::currentIndexChanged, this, &ImportSourcePage::showStatus);
    auto *layout = new QHBoxLayout(m_columnsBox);
    layout->addWidget(new QLabel(tr("Text:"), m_columnsBox));
    layout->addWidget(m_text, 1);
    layout->addWidget(new QLabel(tr("Label:"), m_columnsBox));
    layout->addWidget(m_label, 1);
    return m_columnsBox;
}

bool ImportSourcePage::eventFilter(QObject *watched, QEvent *event)
{
    // Return in the File field previews a newly typed file and stays on this page; left to the
    // wizard it would press Next and skip the preview the user has not seen yet. Once the preview
    // shows that file, Return goes on to the next page as usual.
    if (watched == m_path && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if ((key == Qt::Key_Return || key == Qt::Key_Enter) && path() != m_inspectedPath) {
            inspect();
            return true;
        }
    }
    return QWizardPage::eventFilter(watched, event);
}

void ImportSourcePage::browse()
{
    const QString start = path().isEmpty() ? QString() : QFileInfo(path()).absolutePath();
    const QString chosen = QFileDialog::getOpenFileName(
        this, tr("Import a Corpus"), start,
        tr("Corpus files (*.csv *.tsv *.tab *.jsonl *.ndjson *.txt);;All files (*)"));
    if (!chosen.isEmpty())
        setPath(chosen);
}

void ImportSourcePage::setPath(const QString &path)
{
    m_path->setText(path);
    inspect();
}

QString ImportSourcePage::path() const
{
    return m_path->text().trimmed();
}

void ImportSourcePage::setEncoding(const QString &encoding)
{
    int index = m_encoding->findData(encoding.toLower());
    if (index < 0) {
        m_encoding->addItem(encoding, encoding);
        index = m_encoding->count() - 1;
    }
    m_encoding->setCurrentIndex(index);
}

QString ImportSourcePage::encoding() const
{
    return m_encoding->currentData().toString();
}

char ImportSourcePage::delimiter() const
{
    return m_format == CorpusFormat::Tsv ? '\t' : char(m_delimiter->currentData().toInt());
}

bool ImportSourcePage::isDelimited() const
{
    return m_format == CorpusFormat::Csv || m_format == CorpusFormat::Tsv;
}

void ImportSourcePage::inspect()
{
    m_readable = false;
    m_inspectedPath = path();
    m_problem.clear();
    m_rawRows.clear();
    m_columns.clear();
    m_rows.clear();
    Result<FormatGuess> guess = Result<FormatGuess>::failure(QString());
    if (!path().isEmpty())
        guess = FormatDetector::inspect(path(), encoding(), CorpusFormat(m_formatPicker->currentData().toInt()),
                                        kPreviewRows);
    if (guess) {
        m_readable = true;
        m_format = guess->format;
        m_columns = guess->columns;
        m_rows = guess->rows;
        m_rawRows = guess->rows;
        if (guess->hasHeader)
            m_rawRows.prepend(guess->columns);
        const QSignalBlocker blockHeader(m_header);
        const QSignalBlocker blockDelimiter(m_delimiter);
        m_header->setChecked(guess->hasHeader);
        m_delimiter->setCurrentIndex(std::max(0, m_delimiter->findData(int(guess->delimiter))));
    }
    m_header->setEnabled(isDelimited());
    m_quotedNewlines->setEnabled(isDelimited());
    m_delimiter->setEnabled(m_format == CorpusFormat::Csv);
    if (!guess)
        m_problem = guess.error();
    showRows();
    fillColumnPickers();
}

void ImportSourcePage::resample()
{
    if (path().isEmpty() || !isDelimited())
        return;
    const auto rows = FormatDetector::sampleRows(path(), encoding(), delimiter(), kPreviewRows + 1);
    m_readable = rows.ok();
    m_problem = rows ? QString() : rows.error();
    m_rawRows = rows ? rows.value() : QList<QStringList>();
    showRows();
    fillColumnPickers();
}

void ImportSourcePage::showRows()
{
    if (isDelimited() && m_readable) {
        m_rows = m_rawRows;
        m_columns.clear();
        if (m_header->isChecked() && !m_rows.isEmpty())
            m_columns = m_rows.takeFirst();
        qsizetype width = m_columns.size();
        for (const QStringList &row : std::as_const(m_rows))
            width = std::max(width, row.size());
        for (qsizetype i = m_columns.size(); i < width; ++i)
            m_columns.append(QString::number(i));
        m_rows = m_rows.mid(0, kPreviewRows);
    }
    m_preview->clear();
    m_preview->setColumnCount(int(m_columns.size()));
    m_preview->setRowCount(int(m_rows.size()));
    m_preview->setHorizontalHeaderLabels(columnTitles());
    for (int r = 0; r < m_rows.size(); ++r) {
        for (int c = 0; c < m_rows.at(r).size() && c < m_columns.size(); ++c) {
            auto *item = new QTableWidgetItem(m_rows.at(r).at(c).simplified());
            item->setToolTip(m_rows.at(r).at(c));
            m_preview->setItem(r, c, item);
        }
    }
    m_preview->resizeColumnsToContents();
    for (int c = 0; c < m_preview->columnCount(); ++c)
        m_preview->setColumnWidth(c, std::min(m_preview->columnWidth(c), kMaxPreviewColumnWidth));
}

QStringList ImportSourcePage::columnTitles() const
{
    if (!isDelimited() || m_header->isChecked())
        return m_columns;
    QStringList titles;
    for (int i = 0; i < m_columns.size(); ++i)
        titles.append(tr("Column %1").arg(i + 1));
    return titles;
}

void ImportSourcePage::fillColumnPickers()
{
    const QSignalBlocker blockText(m_text);
    const QSignalBlocker blockLabel(m_label);
    m_text->clear();
    m_label->clear();
    m_label->addItem(noLabelText(), QString());
    const bool named = !isDelimited() || m_header->isChecked();
    const QStringList titles = columnTitles();
    for (int i = 0; i < m_columns.size(); ++i) {
        m_text->addItem(titles.at(i), m_columns.at(i));
        m_label->addItem(titles.at(i), m_columns.at(i));
    }
    const int text = ColumnGuess::textColumn(m_columns, m_rows);
    m_text->setCurrentIndex(text);
    m_label->setCurrentIndex(ColumnGuess::labelColumn(m_columns, m_rows, text, named) + 1);
    m_columnsBox->setEnabled(m_readable && (isDelimited() || m_format == CorpusFormat::Jsonl));
    showStatus();
}

void ImportSourcePage::showStatus()
{
    if (path().isEmpty()) {
        m_message->setStyleSheet(QString());
        m_message->setText(tr("Choose a file to import, or drop one on this window."));
        Q_EMIT completeChanged();
        return;
    }
    QString problem = m_problem;
    if (problem.isEmpty() && m_columnsBox->isEnabled() && m_text->currentData() == m_label->currentData())
        problem = tr("The text and the label must be two different columns.");
    m_message->setStyleSheet(problem.isEmpty() ? QString()
                                                : QStringLiteral("color: %1;").arg(ThemeController::errorColor(palette()).name()));
    m_message->setText(problem.isEmpty() ? tr("Read as %1 · %2").arg(corpusFormatName(m_format).toUpper(),
                                                                  plural(m_rows.size(), tr("1 row previewed"),
                                                                         tr("%1 rows previewed")))
                                         : problem);
    Q_EMIT completeChanged();
}

bool ImportSourcePage::hasLabels() const
{
    if (m_format == CorpusFormat::Folder)
        return true;
    if (m_format == CorpusFormat::Text)
        return false;
    return !m_label->currentData().toString().isEmpty();
}

bool ImportSourcePage::isComplete() const
{
    if (!m_readable)
        return false;
    if (!m_columnsBox->isEnabled())
        return true;
    return m_text->currentIndex() >= 0 && m_text->currentData() != m_label->currentData();
}

void ImportSourcePage::fillParams(ImportParams &params) const
{
    params.path = path();
    params.format = m_format;
    params.encoding = encoding();
    params.hasHeader = m_header->isChecked();
    params.quotedNewlines = m_quotedNewlines->isChecked();
    params.delimiter = m_format == CorpusFormat::Csv ? delimiter() : char(0);
    if (m_columnsBox->isEnabled()) {
        params.textColumn = m_text->currentData().toString();
        params.labelColumn = m_label->currentData().toString();
    }
}

} // namespace ts::ui
