#pragma once

#include "util/Result.h"

#include <QSqlDatabase>
#include <QWidget>

class QCheckBox;
class QComboBox;

namespace ts::ui {

/// The "Weights kept" row of New Experiment and New Benchmark: what a finished run keeps besides
/// its metrics and predictions (WeightRetention), preselected with the project's default, and a
/// box that makes the choice the project's new default when the dialog is accepted.
class KeepWeightsField : public QWidget
{
    Q_OBJECT

public:
    /// Reads the project's default through `db` (GUI thread).
    explicit KeepWeightsField(const QSqlDatabase &db, QWidget *parent = nullptr);

    /// The chosen WeightRetention choice.
    QString keep() const;
    /// Chooses `keep`; an empty or unknown one chooses the project's default.
    void setKeep(const QString &keep);
    /// The project's default as it was read.
    QString projectDefault() const { return m_projectDefault; }

    /// Stores the choice as the project's default when the box asks for it (otherwise nothing).
    Status applyToProject();

    QComboBox *combo() const { return m_combo; }
    QCheckBox *makeDefaultBox() const { return m_makeDefault; }

private:
    QSqlDatabase m_db;
    QString m_projectDefault;
    QComboBox *m_combo = nullptr;
    QCheckBox *m_makeDefault = nullptr;
};

} // namespace ts::ui
