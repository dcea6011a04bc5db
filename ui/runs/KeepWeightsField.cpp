#include "runs/KeepWeightsField.h"

#include "project/WeightRetention.h"

#include <QCheckBox>
#include <QComboBox>
#include <QVBoxLayout>

namespace ts::ui {

KeepWeightsField::KeepWeightsField(const QSqlDatabase &db, QWidget *parent) : QWidget(parent), m_db(db)
{
    const auto stored = WeightRetention::projectDefault(db);
    m_projectDefault = stored ? stored.value() : QString::fromLatin1(WeightRetention::kFinal);
    m_combo = new QComboBox(this);
    m_combo->setObjectName(QStringLiteral("keep"));
    for (const QString &choice : WeightRetention::choices()) {
        const QString text = WeightRetention::describe(choice);
        m_combo->addItem(choice == m_projectDefault ? tr("%1 (project default)").arg(text) : text, choice);
    }
    m_combo->setToolTip(tr("What a finished run keeps besides its metrics and predictions. Final weights: only the "
                           "weights it changed (LoRA: its adapters and head), enough to export it and predict with it. "
                           "Best and final: also the last step's weights when \"Result weights\" chose earlier ones. "
                           "None: the smallest project, but the run cannot be exported or applied to new texts."));
    m_makeDefault = new QCheckBox(tr("Use for new runs of this project"), this);
    m_makeDefault->setObjectName(QStringLiteral("keepAsDefault"));
    m_makeDefault->setToolTip(tr("Make this choice the project's default for new runs"));
    // Stacked, not side by side: the dialog's training column stays narrow enough for a laptop.
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_combo);
    layout->addWidget(m_makeDefault);
    setFocusProxy(m_combo);
    setKeep(QString());
}

QString KeepWeightsField::keep() const
{
    return m_combo->currentData().toString();
}

void KeepWeightsField::setKeep(const QString &keep)
{
    const int index = m_combo->findData(WeightRetention::isChoice(keep) ? keep : m_projectDefault);
    m_combo->setCurrentIndex(qMax(0, index));
}

Status KeepWeightsField::applyToProject()
{
    if (!m_makeDefault->isChecked() || keep() == m_projectDefault)
        return {};
    if (const Status s = WeightRetention::setProjectDefault(m_db, keep()); !s)
        return s;
    m_projectDefault = keep();
    return {};
}

} // namespace ts::ui
