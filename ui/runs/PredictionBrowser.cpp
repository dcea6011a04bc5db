#include "runs/PredictionBrowser.h"

#include "project/PredictionCsv.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace ts::ui {

namespace {

// Columns of the table.
enum Column { kDocument, kTrue, kPredicted, kConfidence, kText, kColumns };
// Characters of a text shown in the table; the whole text opens on double-click.
constexpr int kPreviewChars = 160;

/// An item that sorts by number.
class NumberItem : public QTableWidgetItem
{
public:
    NumberItem(double number, const QString &text) : QTableWidgetItem(text) { setData(Qt::UserRole, number); }
    bool operator<(const QTableWidgetItem &other) const override
    {
        return data(Qt::UserRole).toDouble() < other.data(Qt::UserRole).toDouble();
    }
};

} // namespace

PredictionBrowser::PredictionBrowser(QWidget *parent) : QWidget(parent)
{
    m_caption = new QLabel(this);
    m_caption->setWordWrap(true);
    m_trueLabel = new QComboBox(this);
    m_trueLabel->setObjectName(QStringLiteral("trueLabelFilter"));
    m_predicted = new QComboBox(this);
    m_predicted->setObjectName(QStringLiteral("predictedLabelFilter"));
    m_errorsOnly = new QCheckBox(tr("&Errors only"), this);
    m_errorsOnly->setChecked(true);
    m_export = new QPushButton(tr("Export CSV…"), this);
    m_export->setToolTip(tr("Write the texts shown, with each label's probability, as CSV"));
    m_table = new QTableWidget(this);
    m_table->setObjectName(QStringLiteral("predictionTable"));
    m_table->setColumnCount(kColumns);
    m_table->setHorizontalHeaderLabels({tr("Document"), tr("True label"), tr("Predicted"), tr("Confidence"), tr("Text")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSortingEnabled(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(kText, QHeaderView::Stretch);
    m_table->setToolTip(tr("Double-click or press Return to read a text whole"));
    // Double-click and Return both activate a row.
    connect(m_table, &QAbstractItemView::activated, this, [this](const QModelIndex &index) { openText(index.row()); });
    const auto refilter = [this] { refill(); };
    connect(m_trueLabel, &QComboBox::currentIndexChanged, this, refilter);
    connect(m_predicted, &QComboBox::currentIndexChanged, this, refilter);
    connect(m_errorsOnly, &QCheckBox::toggled, this, refilter);
    connect(m_export, &QPushButton::clicked, this, &PredictionBrowser::exportDialog);

    auto *filters = new QHBoxLayout;
    auto *trueCaption = new QLabel(tr("&True label:"), this);
    trueCaption->setBuddy(m_trueLabel);
    auto *predictedCaption = new QLabel(tr("&Predicted:"), this);
    predictedCaption->setBuddy(m_predicted);
    filters->addWidget(trueCaption);
    filters->addWidget(m_trueLabel);
    filters->addWidget(predictedCaption);
    filters->addWidget(m_predicted);
    filters->addWidget(m_errorsOnly);
    filters->addStretch();
    filters->addWidget(m_export);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_caption);
    layout->addLayout(filters);
    layout->addWidget(m_table, 1);
    setPredictions({}, {});
}

void PredictionBrowser::setPredictions(const PredictionSet &set, const QStringList &texts)
{
    m_set = set;
    m_texts = texts;
    for (QComboBox *box : {m_trueLabel, m_predicted}) {
        const QSignalBlocker block(box);
        box->clear();
        box->addItem(tr("any"), -1);
        for (int c = 0; c < set.classes.size(); ++c)
            box->addItem(set.classes[c], c);
    }
    refill();
}

void PredictionBrowser::setFilter(int trueLabel, int predictedLabel, bool errorsOnly)
{
    const QSignalBlocker a(m_trueLabel);
    const QSignalBlocker b(m_predicted);
    const QSignalBlocker c(m_errorsOnly);
    m_trueLabel->setCurrentIndex(std::max(0, m_trueLabel->findData(trueLabel)));
    m_predicted->setCurrentIndex(std::max(0, m_predicted->findData(predictedLabel)));
    m_errorsOnly->setChecked(errorsOnly);
    refill();
}

QList<int> PredictionBrowser::shownIndices() const
{
    const int wantTrue = m_trueLabel->currentData().toInt();
    const int wantPredicted = m_predicted->currentData().toInt();
    QList<int> indices;
    for (int i = 0; i < m_set.predictions.size(); ++i) {
        const Prediction &p = m_set.predictions[i];
        if (m_errorsOnly->isChecked() && (p.label < 0 || p.label == p.predicted))
            continue;
        if ((wantTrue >= 0 && p.label != wantTrue) || (wantPredicted >= 0 && p.predicted != wantPredicted))
            continue;
        indices.append(i);
    }
    return indices;
}

int PredictionBrowser::shownCount() const
{
    return m_table->rowCount();
}

void PredictionBrowser::refill()
{
    const QList<int> indices = shownIndices();
    m_table->setSortingEnabled(false);
    m_table->setRowCount(int(indices.size()));
    for (int row = 0; row < indices.size(); ++row) {
        const int i = indices[row];
        const Prediction &p = m_set.predictions[i];
        auto *document = new NumberItem(double(p.documentId), QString::number(p.documentId));
        document->setData(Qt::UserRole + 1, i);
        m_table->setItem(row, kDocument, document);
        m_table->setItem(row, kTrue, new QTableWidgetItem(m_set.classes.value(p.label, QStringLiteral("–"))));
        m_table->setItem(row, kPredicted, new QTableWidgetItem(m_set.classes.value(p.predicted)));
        m_table->setItem(row, kConfidence, new NumberItem(p.confidence(), QString::number(p.confidence(), 'f', 3)));
        QString preview = m_texts.value(i).simplified();
        if (preview.size() > kPreviewChars)
            preview = preview.left(kPreviewChars - 1) + QChar(0x2026);
        m_table->setItem(row, kText, new QTableWidgetItem(preview));
    }
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(kConfidence, Qt::DescendingOrder);
    int errors = 0;
    for (const Prediction &p : std::as_const(m_set.predictions))
        errors += p.label >= 0 && p.label != p.predicted ? 1 : 0;
    m_caption->setText(m_set.split.isEmpty()
                           ? tr("The run's predictions appear here when it finishes.")
                           : tr("%1: %2 texts, %3 predicted wrongly; %4 shown, most confident first.")
                                 .arg(m_set.split)
                                 .arg(m_set.predictions.size())
                                 .arg(errors)
                                 .arg(indices.size()));
    m_export->setEnabled(!indices.isEmpty());
}

void PredictionBrowser::openText(int row)
{
    const QTableWidgetItem *item = m_table->item(row, kDocument);
    if (!item)
        return;
    const int i = item->data(Qt::UserRole + 1).toInt();
    const Prediction &p = m_set.predictions[i];
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Document %1").arg(p.documentId));
    auto *text = new QPlainTextEdit(m_texts.value(i), &dialog);
    text->setReadOnly(true);
    QStringList probabilities;
    for (int c = 0; c < m_set.classes.size(); ++c)
        probabilities.append(QStringLiteral("%1 %2").arg(m_set.classes[c]).arg(p.probabilities.value(c), 0, 'f', 3));
    auto *caption = new QLabel(tr("True label: %1 · predicted: %2 · %3%4")
                                   .arg(m_set.classes.value(p.label, QStringLiteral("–")), m_set.classes.value(p.predicted),
                                        probabilities.join(QStringLiteral(", ")),
                                        p.truncated ? tr(" · longer than the run's maximum length: the model saw its "
                                                         "beginning only")
                                                    : QString()),
                               &dialog);
    caption->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(caption);
    layout->addWidget(text, 1);
    layout->addWidget(buttons);
    dialog.resize(640, 420);
    dialog.exec();
}

bool PredictionBrowser::exportCsv(const QString &path, QString *error) const
{
    PredictionSet shown = m_set;
    shown.predictions.clear();
    PredictionCsv::Options options;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const int i = m_table->item(row, kDocument)->data(Qt::UserRole + 1).toInt();
        shown.predictions.append(m_set.predictions[i]);
        options.ids.append(QString::number(m_set.predictions[i].documentId));
        options.texts.append(m_texts.value(i));
    }
    const Status s = PredictionCsv::save(path, shown, options, false);
    if (!s && error)
        *error = s.error();
    return s.ok();
}

void PredictionBrowser::exportDialog()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Predictions"), QString(), tr("CSV (*.csv)"),
                                                      nullptr, QFileDialog::DontConfirmOverwrite);
    if (path.isEmpty())
        return;
    QString error;
    if (!exportCsv(path, &error))
        QMessageBox::warning(this, tr("Export Predictions"), error);
}

} // namespace ts::ui
