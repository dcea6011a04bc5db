#include "models/ModelPickerDialog.h"

#include "models/BuiltinBuildWorker.h"
#include "models/SystemMemory.h"
#include "theme/ThemeController.h"

#include "model/BuiltinModels.h"
#include "model/ModelRegistry.h"
#include "project/Project.h"
#include "transfer/RunMemoryEstimate.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLocale>
#include <QProgressDialog>
#include <QPushButton>
#include <QSet>
#include <QSpinBox>
#include <QTableWidget>
#include <QThread>
#include <QVBoxLayout>

#include <algorithm>

namespace ts::ui {

namespace {

constexpr int kDefaultBatch = 16;      // batch size of the memory estimate, as `models` on the CLI
constexpr int kDefaultMaxLength = 128; // tokens per sequence of the memory estimate
constexpr int kMaxBatch = 4096;
constexpr int kMinMaxLength = 8;
constexpr int kMaxMaxLength = 131072;
constexpr quint64 kBuiltinSeed = 42;   // weight initialisation seed of built-in models made here
constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kGiB = 1024.0 * kMiB;

/// The longest input a model takes: its position table, less RoBERTa's padding offset.
qint64 maxLengthOf(const ModelConfig &config)
{
    if (config.family == ModelFamily::Roberta)
        return config.maxPositions - config.padTokenId - 1;
    return config.maxPositions;
}

/// `bytes` in GiB from 1 GiB up, else in MiB.
QString memoryText(qint64 bytes)
{
    if (double(bytes) >= kGiB)
        return QObject::tr("%1 GiB").arg(QLocale().toString(double(bytes) / kGiB, 'f', 2));
    return QObject::tr("%1 MiB").arg(QLocale().toString(double(bytes) / kMiB, 'f', 0));
}

QString millions(qint64 parameters)
{
    return QObject::tr("%1 M").arg(QLocale().toString(double(parameters) / 1e6, 'f', 1));
}

QTableWidgetItem *cell(const QString &text, Qt::Alignment alignment = Qt::AlignLeft | Qt::AlignVCenter)
{
    auto *item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    item->setTextAlignment(alignment);
    return item;
}

QTableWidgetItem *numberCell(qint64 value)
{
    return cell(QLocale().toString(value), Qt::AlignRight | Qt::AlignVCenter);
}

} // namespace

ModelPickerDialog::ModelPickerDialog(const Project &project, const QString &hubDir, QWidget *parent)
    : QDialog(parent), m_project(project), m_hubDir(hubDir), m_deviceBytes(SystemMemory::totalBytes())
{
    setObjectName(QStringLiteral("ModelPickerDialog"));
    setWindowTitle(tr("Models"));
    buildLayout();
    reload();
    resize(900, 420);
}

ModelPickerDialog::~ModelPickerDialog()
{
    if (m_buildThread) {
        m_buildThread->requestInterruption();
        m_buildThread->quit();
        m_buildThread->wait();
    }
}

void ModelPickerDialog::buildLayout()
{
    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("modelTable"));
    m_table->setHorizontalHeaderLabels({tr("Name"), tr("Source"), tr("Architecture"), tr("Parameters"),
                                        tr("Vocabulary"), tr("Max length"), tr("Training memory")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(NameColumn, QHeaderView::Stretch);
    connect(m_table, &QTableWidget::cellDoubleClicked, this, &ModelPickerDialog::accept);

    m_batch = new QSpinBox(this);
    m_batch->setObjectName(QStringLiteral("batchSize"));
    m_batch->setRange(1, kMaxBatch);
    m_batch->setValue(kDefaultBatch);
    m_maxLength = new QSpinBox(this);
    m_maxLength->setObjectName(QStringLiteral("maxLength"));
    m_maxLength->setRange(kMinMaxLength, kMaxMaxLength);
    m_maxLength->setValue(kDefaultMaxLength);
    connect(m_batch, &QSpinBox::valueChanged, this, &ModelPickerDialog::updateMemory);
    connect(m_maxLength, &QSpinBox::valueChanged, this, &ModelPickerDialog::updateMemory);
    m_device = new QLabel(m_deviceBytes > 0 ? tr("Device: CPU, %1 of RAM").arg(memoryText(m_deviceBytes))
                                            : tr("Device: CPU, RAM unknown"), this);
    m_device->setObjectName(QStringLiteral("deviceLabel"));
    auto *estimate = new QHBoxLayout;
    estimate->addWidget(new QLabel(tr("Memory estimate (AdamW, fp32) for batch size"), this));
    estimate->addWidget(m_batch);
    estimate->addWidget(new QLabel(tr("and maximum length"), this));
    estimate->addWidget(m_maxLength);
    estimate->addStretch(1);
    estimate->addWidget(m_device);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_addFolder = new QPushButton(tr("Add folder…"), this);
    m_addFolder->setObjectName(QStringLiteral("addFolderButton"));
    m_addBuiltin = new QPushButton(tr("Add built-in…"), this);
    m_addBuiltin->setObjectName(QStringLiteral("addBuiltinButton"));
    connect(m_addFolder, &QPushButton::clicked, this, &ModelPickerDialog::chooseFolder);
    connect(m_addBuiltin, &QPushButton::clicked, this, &ModelPickerDialog::chooseBuiltin);
    auto *box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = box->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Use Model"));
    connect(box, &QDialogButtonBox::accepted, this, &ModelPickerDialog::accept);
    connect(box, &QDialogButtonBox::rejected, this, &ModelPickerDialog::reject);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_addFolder);
    buttons->addWidget(m_addBuiltin);
    buttons->addStretch(1);
    buttons->addWidget(box);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table, 1);
    layout->addLayout(estimate);
    layout->addWidget(m_status);
    layout->addLayout(buttons);
}

void ModelPickerDialog::reload()
{
    m_rows.clear();
    const auto models = ModelRegistry::list(m_project.database());
    if (!models)
        setStatus(models.error(), true);
    QSet<QString> registeredFolders;
    for (const ModelRecord &m : models ? models.value() : QList<ModelRecord>()) {
        const QString source = m.kind == ModelRecord::Kind::Builtin ? tr("Project (built-in)") : tr("Project (folder)");
        m_rows.append(Row{m.id, m.name, source, m.location, m.config});
        registeredFolders.insert(m.location);
    }
    const HuggingFaceCache::Listing cache = HuggingFaceCache::scan(m_hubDir);
    for (const HuggingFaceCache::Entry &e : cache.models) {
        if (!registeredFolders.contains(e.folder))
            m_rows.append(Row{0, e.repoId, tr("Hugging Face cache"), e.folder, e.config});
    }
    fillTable();
}

void ModelPickerDialog::fillTable()
{
    m_table->setRowCount(int(m_rows.size()));
    for (int r = 0; r < m_rows.size(); ++r) {
        const Row &row = m_rows.at(r);
        QTableWidgetItem *name = cell(row.name);
        name->setData(ModelIdRole, row.id);
        name->setToolTip(row.folder);
        m_table->setItem(r, NameColumn, name);
        m_table->setItem(r, SourceColumn, cell(row.source));
        m_table->setItem(r, ArchitectureColumn, cell(row.config.modelType));
        m_table->setItem(r, ParametersColumn, cell(millions(row.config.parameterCount()), Qt::AlignRight | Qt::AlignVCenter));
        m_table->setItem(r, VocabularyColumn, numberCell(row.config.vocabSize));
        m_table->setItem(r, MaxLengthColumn, numberCell(maxLengthOf(row.config)));
        m_table->setItem(r, MemoryColumn, cell(QString(), Qt::AlignRight | Qt::AlignVCenter));
    }
    updateMemory();
    m_table->resizeColumnsToContents();
}

void ModelPickerDialog::updateMemory()
{
    for (int r = 0; r < m_rows.size(); ++r) {
        const ModelConfig &config = m_rows.at(r).config;
        const qint64 seqLen = std::min<qint64>(m_maxLength->value(), maxLengthOf(config));
        const qint64 bytes = RunMemoryEstimate::forFineTuning(config, m_batch->value(), int(seqLen), false).totalBytes();
        QTableWidgetItem *item = m_table->item(r, MemoryColumn);
        item->setText(memoryText(bytes));
        item->setData(MemoryBytesRole, bytes);
        const bool tooLarge = m_deviceBytes > 0 && bytes > m_deviceBytes;
        item->setForeground(tooLarge ? QBrush(Qt::red) : QBrush());
        const QString length = tr("batch %1 × %2 tokens").arg(m_batch->value()).arg(seqLen);
        item->setToolTip(m_deviceBytes <= 0 ? tr("About %1 to fine-tune with %2").arg(memoryText(bytes), length)
                         : tooLarge ? tr("About %1 to fine-tune with %2: more than the %3 of RAM; lower the batch "
                                         "size or the maximum length").arg(memoryText(bytes), length, memoryText(m_deviceBytes))
                                    : tr("About %1 of the %3 of RAM to fine-tune with %2")
                                          .arg(memoryText(bytes), length, memoryText(m_deviceBytes)));
    }
}

void ModelPickerDialog::selectModel(qint64 id)
{
    for (int r = 0; r < m_rows.size(); ++r) {
        if (m_rows.at(r).id == id) {
            m_table->setCurrentCell(r, NameColumn);
            return;
        }
    }
}

void ModelPickerDialog::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    // Red that stays readable on the dark theme too; the stylesheet is set again on a theme switch
    // only when the next status arrives, which is soon enough for a message.
    m_status->setStyleSheet(error ? QStringLiteral("color: %1;").arg(ThemeController::errorColor(palette()).name())
                                  : QString());
}

QString ModelPickerDialog::statusText() const
{
    return m_status->text();
}

QString ModelPickerDialog::freeName(const QString &base) const
{
    QSet<QString> taken;
    for (const Row &row : m_rows) {
        if (row.id > 0)
            taken.insert(row.name);
    }
    QString name = base;
    for (int n = 2; taken.contains(name); ++n)
        name = QStringLiteral("%1-%2").arg(base).arg(n);
    return name;
}

bool ModelPickerDialog::addFolder(const QString &dir)
{
    const QString name = freeName(QFileInfo(QDir(dir).absolutePath()).fileName());
    const auto id = ModelRegistry::addFolder(m_project.database(), name, dir);
    if (!id) {
        setStatus(id.error(), true);
        return false;
    }
    reload();
    selectModel(id.value());
    setStatus(tr("Added %1.").arg(name), false);
    Q_EMIT modelAdded(id.value());
    return true;
}

void ModelPickerDialog::chooseFolder()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Hugging Face Model Folder"), QDir::homePath());
    if (!dir.isEmpty())
        addFolder(dir);
}

void ModelPickerDialog::chooseBuiltin()
{
    QStringList items;
    for (const BuiltinModel &model : BuiltinModels::all())
        items.append(tr("%1 — %2").arg(model.name, model.description));
    bool ok = false;
    const QString item = QInputDialog::getItem(this, tr("Add Built-in Model"),
                                               tr("The tokenizer is trained on the project's corpora and the weights "
                                                  "start random; pre-train it with continued pre-training.\n\nConfiguration:"),
                                               items, 0, false, &ok);
    if (!ok)
        return;
    const BuiltinModel &model = BuiltinModels::all().at(items.indexOf(item));
    startBuiltin(model.name, freeName(model.name));
}

bool ModelPickerDialog::startBuiltin(const QString &builtinName, const QString &modelName)
{
    if (m_building)
        return false;
    m_building = true;
    m_cancelRequested = false;
    if (m_buildThread)
        m_buildThread->wait(); // the previous build's thread, already past its work
    auto *worker = new BuiltinBuildWorker({m_project.path(), builtinName, modelName, {}, kBuiltinSeed});
    m_buildThread = new QThread(this);
    worker->moveToThread(m_buildThread);
    connect(m_buildThread, &QThread::started, worker, &BuiltinBuildWorker::run);
    connect(worker, &BuiltinBuildWorker::progress, this, &ModelPickerDialog::showBuildProgress);
    connect(worker, &BuiltinBuildWorker::finished, this, &ModelPickerDialog::buildFinished);
    // Direct: the thread's loop ends as soon as the work does, so wait() never needs the GUI loop.
    connect(worker, &BuiltinBuildWorker::finished, m_buildThread, &QThread::quit, Qt::DirectConnection);
    connect(m_buildThread, &QThread::finished, worker, &QObject::deleteLater);
    connect(m_buildThread, &QThread::finished, m_buildThread, &QObject::deleteLater);

    m_progress = new QProgressDialog(tr("Building %1…").arg(modelName), tr("Cancel"), 0, 0, this);
    m_progress->setObjectName(QStringLiteral("buildProgress"));
    m_progress->setWindowModality(Qt::WindowModal);
    m_progress->setMinimumDuration(0);
    m_progress->setAutoClose(false);
    m_progress->setAutoReset(false);
    connect(m_progress, &QProgressDialog::canceled, this, &ModelPickerDialog::cancelBuild);
    m_progress->show();
    setBusy(true);
    setStatus(tr("Building %1…").arg(modelName), false);
    m_buildThread->start();
    return true;
}

void ModelPickerDialog::cancelBuild()
{
    if (!m_building || !m_buildThread)
        return;
    m_cancelRequested = true;
    m_buildThread->requestInterruption();
}

void ModelPickerDialog::showBuildProgress(const QString &stage, int done, int total)
{
    if (!m_progress)
        return;
    m_progress->setLabelText(total > 0 ? tr("%1: %2 of %3").arg(stage, QLocale().toString(done), QLocale().toString(total))
                                       : tr("%1: %2").arg(stage, QLocale().toString(done)));
    m_progress->setMaximum(std::max(total, 0));
    if (total > 0)
        m_progress->setValue(std::min(done, total));
}

void ModelPickerDialog::buildFinished(qint64 modelId, const QString &error)
{
    if (m_progress) {
        m_progress->disconnect(this); // closing emits canceled(), which is no request now
        m_progress->close();
        m_progress->deleteLater();
    }
    m_building = false;
    setBusy(false);
    if (modelId <= 0) {
        setStatus(m_cancelRequested ? tr("The build was cancelled.") : error, !m_cancelRequested);
        Q_EMIT buildFailed(m_cancelRequested ? tr("cancelled") : error);
        return;
    }
    reload();
    selectModel(modelId);
    setStatus(tr("Added the built-in model (id %1); its weights are random until pre-trained.").arg(modelId), false);
    Q_EMIT modelAdded(modelId);
}

void ModelPickerDialog::setBusy(bool busy)
{
    m_addFolder->setEnabled(!busy);
    m_addBuiltin->setEnabled(!busy);
    m_ok->setEnabled(!busy);
}

void ModelPickerDialog::accept()
{
    const int r = m_table->currentRow();
    if (r < 0 || r >= m_rows.size() || m_building) {
        setStatus(m_building ? tr("Wait for the build to finish.") : tr("Choose a model."), true);
        return;
    }
    const Row &row = m_rows.at(r);
    if (row.id > 0) {
        m_selectedId = row.id;
        QDialog::accept();
        return;
    }
    const auto id = ModelRegistry::addFolder(m_project.database(), freeName(row.name), row.folder);
    if (!id) {
        setStatus(id.error(), true);
        return;
    }
    m_selectedId = id.value();
    Q_EMIT modelAdded(id.value());
    QDialog::accept();
}

} // namespace ts::ui
