#pragma once

#include "train/TrainingConfig.h"

#include <QString>

namespace ts {

/// What a user asks for when starting a run (experiment dialog, `transfer-studio-cli run`).
struct RunRequest
{
    QString name;           // optional; the GUI and CLI show "<strategy> <source> -> <target>" otherwise
    QString sourceCorpus;   // by name
    QString targetCorpus;   // by name
    QString model;          // by name or id
    TrainingConfig config;  // strategy and hyper-parameters
    qint64 groupId = 0;     // 0: not part of a group
};

} // namespace ts
