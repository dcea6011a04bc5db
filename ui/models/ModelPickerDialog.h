#pragma once

#include "model/HuggingFaceCache.h"
#include "model/ModelConfig.h"

#include <QDialog>
#include <QList>
#include <QPointer>

class QLabel;
class QProgressDialog;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QThread;

namespace ts {
class Project;
}

namespace ts::ui {

/// Chooses the base model of a run: the project's models and those in the Hugging Face cache, each
/// with its architecture, parameters, vocabulary, maximum length and the memory fine-tuning it needs
/// (AdamW, fp32) for the chosen batch size and maximum length, against the machine's RAM. "Add
/// folder…" registers a Hugging Face folder; "Add built-in…" builds a model from scratch on a worker
/// thread with a cancellable progress dialog. Uses the project on the GUI thread only.
class ModelPickerDialog : public QDialog
{
    Q_OBJECT

public:
    /// Table columns.
    enum Column { NameColumn, SourceColumn, ArchitectureColumn, ParametersColumn, VocabularyColumn, MaxLengthColumn,
                  MemoryColumn, ColumnCount };
    /// Data roles: the model id (0 for cache entries) on name cells, the estimate in bytes on memory cells.
    enum Role { ModelIdRole = Qt::UserRole + 1, MemoryBytesRole };

    /// Shows the models of `project`, which must outlive the dialog, and the cache at `hubDir`.
    explicit ModelPickerDialog(const Project &project, const QString &hubDir = HuggingFaceCache::defaultHubDir(),
                               QWidget *parent = nullptr);
    ~ModelPickerDialog() override;

    /// The id of the chosen project model once the dialog is accepted (a cache model chosen is
    /// registered first); 0 otherwise.
    qint64 selectedModelId() const { return m_selectedId; }

    /// Registers the Hugging Face folder `dir` under a free name derived from its folder name and
    /// selects it; false with a message in the status line when it is refused.
    bool addFolder(const QString &dir);

    /// Starts building the built-in configuration `builtinName` as `modelName` on a worker thread,
    /// with a progress dialog; modelAdded() or buildFailed() follows. False when a build is running.
    bool startBuiltin(const QString &builtinName, const QString &modelName);

    /// Asks a running build to stop (the progress dialog's Cancel does the same).
    void cancelBuild();

    /// The total RAM the memory column is compared with, in bytes (0: unknown).
    qint64 deviceMemoryBytes() const { return m_deviceBytes; }

    /// The text of the status line under the table (errors, progress outcomes).
    QString statusText() const;

    /// A free model name in the project: `base`, else `base-2`, `base-3`, ...
    QString freeName(const QString &base) const;

    /// Re-reads the project's models and the cache.
    void reload();

    /// The model table and the batch size and maximum length the memory column is estimated for.
    QTableWidget *table() const { return m_table; }
    QSpinBox *batchSizeBox() const { return m_batch; }
    QSpinBox *maxLengthBox() const { return m_maxLength; }

Q_SIGNALS:
    /// A model was registered in the project (folder, cache entry or built-in).
    void modelAdded(qint64 modelId);
    /// A built-in build failed or was cancelled; `error` says which.
    void buildFailed(const QString &error);

public Q_SLOTS:
    /// Accepts with the current row's model; a cache model is registered first. Stays open (with the
    /// reason in the status line) when no model is chosen, a build runs or registering fails.
    void accept() override;

private:
    /// One row: a project model (id > 0) or a cache entry.
    struct Row
    {
        qint64 id = 0;
        QString name;
        QString source;
        QString folder;
        ModelConfig config;
    };

    void buildLayout();
    void fillTable();
    void updateMemory();
    void selectModel(qint64 id);
    void setStatus(const QString &text, bool error);
    void chooseFolder();
    void chooseBuiltin();
    void showBuildProgress(const QString &stage, int done, int total);
    void buildFinished(qint64 modelId, const QString &error);
    void setBusy(bool busy);

    const Project &m_project;
    QString m_hubDir;
    QList<Row> m_rows;
    qint64 m_deviceBytes = 0;
    qint64 m_selectedId = 0;
    bool m_building = false;
    bool m_cancelRequested = false;
    QTableWidget *m_table = nullptr;
    QSpinBox *m_batch = nullptr;
    QSpinBox *m_maxLength = nullptr;
    QLabel *m_device = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_addFolder = nullptr;
    QPushButton *m_addBuiltin = nullptr;
    QPushButton *m_ok = nullptr;
    QPointer<QThread> m_buildThread;
    QPointer<QProgressDialog> m_progress;
};

} // namespace ts::ui
