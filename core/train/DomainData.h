#pragma once

#include <QList>
#include <QString>

namespace ts {

/// A text with its class index (-1: unlabelled or a label the classifier does not know).
struct LabelledText
{
    QString text;
    int label = -1;
    qint64 documentId = 0; // the project document (0: not from the project, e.g. a file to predict)
};

/// One corpus's documents by split, labels mapped to the run's class indices.
struct DomainData
{
    QString corpusName;
    QList<LabelledText> train;
    QList<LabelledText> validation;
    QList<LabelledText> test;
    QList<LabelledText> unlabeled;
    int unknownLabels = 0;          // labelled documents whose label is not one of the classes
    bool validationCarved = false;  // validation was split off `train` (the corpus had none)
};

} // namespace ts
